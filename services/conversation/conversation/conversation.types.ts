import { ConnectionType, EdgeType, PageInput } from '../../shared/connection';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IDEMPOTENCY_KEY_PATTERN } from '../idempotency/idempotency-keys';
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
  /** The best answer comes from knowledge marked sensitive and its confidence is under the sensitive bar. */
  SENSITIVE_KNOWLEDGE = 'sensitive_knowledge',
  /** The question is in a language the workspace has no knowledge in (and no answer model to translate). */
  UNSUPPORTED_LANGUAGE = 'unsupported_language',
  /** The question is about an open bug that affects the asker: a person follows up on it. */
  KNOWN_ISSUE = 'known_issue',
}
registerEnumType(HandOffReason, { name: 'HandOffReason' });

/** Owned by account-context; conversation only references it. */
export enum Rating {
  UP = 'up',
  DOWN = 'down',
}
registerEnumType(Rating, { name: 'Rating' });

@ObjectType({ description: 'A CSAT answer: how satisfied the customer was once the conversation was resolved' })
export class CsatResponse {
  @Field(() => Int, { description: '1 (very dissatisfied) to 5 (very satisfied); the workspace words each score (satisfactionSurvey)' })
  score!: number;

  @Field(() => String, { nullable: true, description: "The customer's own words, if they added any" })
  comment!: string | null;

  @Field()
  ratedAt!: Date;
}

/** Owned by account-context; conversation adds the customer's conversation history. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Customer {
  @Field(() => ID)
  id!: string;
}

/** Owned by account-context; conversation adds the history of every customer of the account. */
@Directive('@key(fields: "id")')
@ObjectType()
export class Account {
  @Field(() => ID)
  id!: string;

  /** Owned by account-context (inaccessible); the gateway fetches it for Account.conversations. */
  @Directive('@external')
  @Field(() => [ID])
  customerIds?: string[];
}

export enum ConversationOutcome {
  /** The AI is answering; nobody has resolved it or asked for a person. */
  OPEN = 'open',
  WAITING_FOR_AGENT = 'waiting_for_agent',
  WITH_AGENT = 'with_agent',
  RESOLVED_BY_AI = 'resolved_by_ai',
  /** An agent wrote to the customer (a reply, or a correction with or without a hand-off), then it was resolved. */
  RESOLVED_BY_AGENT = 'resolved_by_agent',
  /** Handed off, then resolved before any agent wrote to the customer (the customer closed it, or it was closed without a word). */
  RESOLVED_WITHOUT_REPLY = 'resolved_without_reply',
}
registerEnumType(ConversationOutcome, {
  name: 'ConversationOutcome',
  description:
    'Where a conversation ended up: still with the AI, waiting for or with an agent, or resolved: by the AI alone, by an agent after a hand-off, or after a hand-off no agent answered',
  valuesConfig: {
    RESOLVED_BY_AGENT: { description: 'An agent wrote to the customer (a reply, or a correction with or without a hand-off), then it was resolved' },
    RESOLVED_WITHOUT_REPLY: { description: 'Handed off, then resolved before any agent wrote to the customer: the customer closed it, or it was closed without a word' },
  },
});

/** Owned by account-context; conversation names agents by id (claims, messages). */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType()
export class Agent {
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

  @Field(() => String, { nullable: true, description: "The language the cited item is written in, when the answer was written in the customer's language from it (a translation); null otherwise" })
  translatedFrom!: string | null;
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

  @Field(() => String, { nullable: true, description: "For a customer's question: its language (ISO 639 code), as detected" })
  language!: string | null;

  @Field(() => Float, { nullable: true })
  confidence!: number | null;

  @Field(() => AnswerDecision, { nullable: true, description: 'For AI turns' })
  decision!: AnswerDecision | null;

  @Field(() => HandOffReason, { nullable: true })
  handOffReason!: HandOffReason | null;

  @Field(() => Rating, { nullable: true, description: "The customer's rating of an AI answer" })
  rating!: Rating | null;

  @Field(() => Agent, { nullable: true, description: 'For agent messages written with a personal agent key: the person' })
  agent!: Agent | null;

  @Field(() => String, { nullable: true, description: 'For agent messages: who wrote it, agent:<id> (a person) or key:<id> (a shared workspace key)' })
  writtenBy!: string | null;

  @Field(() => Boolean, { description: 'An agent corrected this AI answer' })
  corrected!: boolean;

  @Field(() => ID, { nullable: true, description: 'For an agent correction: the AI answer it corrects' })
  correctsMessageId!: string | null;

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

  @Field({ description: 'Topic of the latest question' })
  topic!: string;

  @Field(() => ConversationOutcome)
  outcome!: ConversationOutcome;

  @Field(() => String, { nullable: true, description: 'Where the conversation started (widget, email, in_app, …), as the front-end named it' })
  channel!: string | null;

  @Field(() => String, { nullable: true, description: 'The language of the latest question (ISO 639 code), as detected' })
  language!: string | null;

  @Field(() => HandOffReason, { nullable: true })
  handOffReason!: HandOffReason | null;

  @Field(() => Date, { nullable: true })
  handedOffAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who is working on it: agent:<id> (a person) or key:<id> (a shared workspace key)' })
  claimedBy!: string | null;

  @Field(() => Agent, { nullable: true, description: 'The person working on it, when claimed with a personal agent key' })
  claimant!: Agent | null;

  @Field(() => String, { nullable: true, description: 'The group it waits for, when it was re-assigned to a group' })
  assignedGroup!: string | null;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;

  @Field(() => CsatResponse, { nullable: true, description: "The customer's satisfaction after resolution (rateConversation); null until they answered" })
  csat!: CsatResponse | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

const IDEMPOTENCY_KEY_DESCRIPTION =
  'Makes a retry safe: the same key with the same input returns the first result and writes nothing new (for 24 h, per API key or customer). ' +
  'Send a new random UUID per write, and the same one when retrying it; the same key with different input is BAD_USER_INPUT.';
const SECRET_DESCRIPTION =
  "An anonymous visitor's conversation: the conversationSecret the ask that started it returned. Without it (or with a wrong one) the conversation is NOT_FOUND. Not needed by signed-in customers or staff.";

/** An optional idempotency key on a write input: `@IdempotencyKeyField() idempotencyKey?: string`. */
export function IdempotencyKeyField(): PropertyDecorator {
  return (target, property) => {
    Field({ nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION })(target, property);
    IsOptional()(target, property);
    Matches(IDEMPOTENCY_KEY_PATTERN, { message: 'idempotencyKey must be 8-128 letters, digits, _ . : or - (a random UUID per write)' })(target, property);
  };
}

/** An anonymous visitor's conversation secret on an input: `@ConversationSecretField() conversationSecret?: string`. */
export function ConversationSecretField(): PropertyDecorator {
  return (target, property) => {
    Field({ nullable: true, description: SECRET_DESCRIPTION })(target, property);
    IsOptional()(target, property);
    IsString()(target, property);
    MaxLength(128)(target, property);
  };
}

@ObjectType()
class ConversationEdge extends EdgeType(Conversation) {}

@ObjectType()
export class ConversationConnection extends ConnectionType(ConversationEdge) {}

@InputType()
export class ConversationsPage extends PageInput {}

@InputType()
export class ConversationRef {
  @Field(() => ID)
  conversationId!: string;

  @ConversationSecretField()
  conversationSecret?: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}
