import { IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ConversationStatus {
  OPEN = 'open',
  HANDED_OFF = 'handed_off',
  RESOLVED = 'resolved',
}
registerEnumType(ConversationStatus, { name: 'ConversationStatus' });

export enum MessageAuthor {
  CUSTOMER = 'customer',
  AI = 'ai',
  AGENT = 'agent',
}
registerEnumType(MessageAuthor, { name: 'MessageAuthor' });

export enum AnswerDecision {
  ANSWERED = 'answered',
  HANDED_OFF = 'handed_off',
}
registerEnumType(AnswerDecision, { name: 'AnswerDecision' });

export enum HandOffReason {
  LOW_CONFIDENCE = 'low_confidence',
  STALE_KNOWLEDGE = 'stale_knowledge',
  POLICY = 'policy',
  CUSTOMER_ASKED = 'customer_asked',
  NO_KNOWLEDGE = 'no_knowledge',
}
registerEnumType(HandOffReason, { name: 'HandOffReason' });

/** Owned by account-context; conversation only references it. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Customer {
  @Field(() => ID)
  id!: string;
}

/** Owned by knowledge; conversation only references it. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class KnowledgeItem {
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'The knowledge an answer is grounded in' })
export class Citation {
  @Field(() => KnowledgeItem)
  knowledgeItem!: KnowledgeItem;

  @Field(() => Int, { description: 'The version of the item the answer used' })
  version!: number;

  @Field()
  passage!: string;
}

@ObjectType()
export class Message {
  @Field(() => ID)
  id!: string;

  @Field(() => MessageAuthor)
  author!: MessageAuthor;

  @Field()
  text!: string;

  @Field(() => String, { nullable: true })
  page!: string | null;

  @Field(() => Float, { nullable: true })
  confidence!: number | null;

  @Field(() => [Citation])
  citations!: Citation[];

  @Field()
  createdAt!: Date;
}

@Directive('@key(fields: "id")')
@ObjectType()
export class Conversation {
  @Field(() => ID)
  id!: string;

  @Field(() => ConversationStatus)
  status!: ConversationStatus;

  @Field(() => Customer, { nullable: true, description: 'Null for an anonymous visitor' })
  customer!: Customer | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

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
}

@ObjectType()
export class ConversationEdge {
  @Field()
  cursor!: string;

  @Field(() => Conversation)
  node!: Conversation;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType()
export class ConversationConnection {
  @Field(() => [ConversationEdge])
  edges!: ConversationEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType()
export class AskInput {
  @Field(() => ID, { nullable: true, description: 'Continue this conversation; omit to start a new one' })
  @IsOptional()
  conversationId?: string;

  @Field()
  @IsString()
  text!: string;

  @Field({ nullable: true, description: 'The page the customer is on' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  page?: string;
}

@InputType()
export class ConversationsPage {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  first?: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  after?: string;
}
