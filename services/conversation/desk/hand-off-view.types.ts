import { Field, Float, ObjectType } from 'type-graphql';
import { HandOffReason, KnowledgeItem, Message } from '../conversation/conversation.types';

@ObjectType({ description: 'An open bug that affected the asker when the AI answered' })
export class OpenBugSnapshot {
  @Field()
  title!: string;

  @Field(() => [String])
  productAreas!: string[];

  @Field(() => String, { nullable: true, description: "The bug's page in the tracker" })
  url?: string | null;
}

@ObjectType({ description: "The asker's account as the AI saw it when it answered (not as it is now)" })
export class AskerContextSnapshot {
  @Field(() => String, { nullable: true })
  plan!: string | null;

  @Field(() => String, { nullable: true })
  billingState!: string | null;

  @Field(() => [String])
  segments!: string[];

  @Field(() => [OpenBugSnapshot])
  openBugs!: OpenBugSnapshot[];

  @Field(() => OpenBugSnapshot, { nullable: true, description: 'The open bug the question was about, which the AI acknowledged; null when none was' })
  knownIssue?: OpenBugSnapshot | null;
}

@ObjectType({ description: 'Why the AI handed a conversation off, and what it had in front of it' })
export class HandOffView {
  @Field(() => HandOffReason)
  reason!: HandOffReason;

  @Field({ description: 'The reason in plain words, with the figures behind it' })
  explanation!: string;

  @Field(() => Message, { nullable: true, description: "The AI turn that handed off (or the last AI turn, when the customer asked for a person)" })
  message!: Message | null;

  @Field(() => Float, { nullable: true })
  confidence!: number | null;

  @Field(() => Float, { nullable: true, description: "The topic's threshold the confidence was held to" })
  threshold!: number | null;

  @Field(() => KnowledgeItem, { nullable: true, description: 'The candidate the AI almost answered from' })
  candidate!: KnowledgeItem | null;

  @Field(() => String, { nullable: true, description: 'The page the customer asked from' })
  page!: string | null;

  @Field(() => AskerContextSnapshot, { nullable: true, description: 'The account context the AI used; null for an anonymous visitor or when account-context could not be reached' })
  askerContext!: AskerContextSnapshot | null;
}
