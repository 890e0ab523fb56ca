/** GraphQL types of asking: a customer's question and the AI's turn, and an agent's preview of the answer. */
import { IsOptional, IsString, Matches } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { AnswerDecision, Citation, Conversation, ConversationSecretField, HandOffReason, IdempotencyKeyField, KnowledgeItem, Message } from '../conversation/conversation.types';
import { TextField } from '../../shared/input-fields';

@ObjectType({ description: "The AI's turn in answer to a question" })
export class AiTurn {
  @Field(() => Conversation)
  conversation!: Conversation;

  @Field(() => Message)
  message!: Message;

  @Field(() => AnswerDecision)
  decision!: AnswerDecision;

  @Field(() => HandOffReason, { nullable: true })
  handOffReason!: HandOffReason | null;

  @Field(() => Float, { description: 'How sure the AI is that the answer is right, in [0, 1]' })
  confidence!: number;

  @Field(() => Int)
  latencyMs!: number;

  @Field(() => String, {
    nullable: true,
    description:
      "Returned once, by the ask that starts an anonymous visitor's conversation: keep it to continue, read, rate, resolve or hand off that conversation. Null otherwise.",
  })
  conversationSecret!: string | null;
}

@InputType()
export class AskInput {
  @Field(() => ID, { nullable: true, description: 'Continue this conversation; omit to start a new one' })
  @IsOptional()
  conversationId?: string;

  @ConversationSecretField()
  conversationSecret?: string;

  @Field()
  @IsString()
  text!: string;

  @TextField({ max: 2048, allowEmpty: true, optional: true, description: 'The page the customer is on' })
  page?: string;

  @Field({
    nullable: true,
    description: 'The channel a new conversation comes from, named by the front-end: lowercase letters, digits, _ or -, at most 32 (e.g. widget, email, in_app). Ignored when continuing a conversation.',
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_-]{0,31}$/, { message: 'channel must be 1-32 lowercase letters, digits, _ or -, starting with a letter' })
  channel?: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@InputType()
export class PreviewAnswerInput {
  @Field()
  @IsString()
  text!: string;

  @TextField({ max: 100, allowEmpty: true, optional: true, description: 'Answer as for a customer on this plan' })
  plan?: string;

  @TextField({ max: 2048, allowEmpty: true, optional: true, description: 'Answer as for a question asked from this page (a path or a URL): its product areas count' })
  page?: string;
}

@ObjectType({ description: 'What the AI would answer now; nothing is recorded or learned' })
export class AnswerPreview {
  @Field({ description: "The question's language (ISO 639 code), as detected" })
  language!: string;

  @Field(() => AnswerDecision)
  decision!: AnswerDecision;

  @Field(() => HandOffReason, { nullable: true })
  handOffReason!: HandOffReason | null;

  @Field(() => Float)
  confidence!: number;

  @Field(() => Float, { description: "The topic's learned threshold" })
  threshold!: number;

  @Field()
  topic!: string;

  @Field(() => String, { nullable: true, description: 'The answer, when the AI would answer' })
  text!: string | null;

  @Field(() => [Citation])
  citations!: Citation[];

  @Field(() => KnowledgeItem, { nullable: true, description: 'The best candidate, also when the AI would hand off' })
  candidate!: KnowledgeItem | null;
}
