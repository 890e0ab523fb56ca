/** GraphQL types of what agents do with conversations: the inbox, replies and corrections. */
import { ArrayMaxSize, IsOptional } from 'class-validator';
import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { AfterCursorField, PageSizeField } from '../../shared/connection';
import { GroupField } from '../assignment/assignment.types';
import { Conversation, ConversationStatus, IdempotencyKeyField, KnowledgeItem, Message } from '../conversation/conversation.types';
import { DetectedLanguageFilterField } from '../desk/inbox-search.types';
import { EnumField, TextField } from '../../shared/input-fields';

export enum CorrectionScope {
  ASKED_CONTEXT = 'asked_context',
  PLAN = 'plan',
  PAGE_AREA = 'page_area',
  EVERYONE = 'everyone',
}
registerEnumType(CorrectionScope, {
  name: 'CorrectionScope',
  description: 'Where a correction applies: the AI learns to answer this way only for askers in that context',
  valuesConfig: {
    ASKED_CONTEXT: { description: "The context the question was asked in: the asker's plan and the product areas of the page (as far as they are known)" },
    PLAN: { description: "Askers on the asker's plan, from any page" },
    PAGE_AREA: { description: "Questions asked from the page's product areas (and pages under them), on any plan" },
    EVERYONE: { description: 'Every asker, on any plan and page' },
  },
});

@InputType()
export class ReplyInput {
  @Field(() => ID)
  conversationId!: string;

  @TextField({ max: 20_000 })
  text!: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@InputType()
export class CorrectAnswerInput {
  @Field(() => ID, { description: 'The AI answer (or hand-off) being corrected' })
  messageId!: string;

  @TextField({ max: 20_000, description: 'The right answer; it is sent to the customer and learned from' })
  correctedText!: string;

  @Field(() => [ID], { nullable: true, description: 'Knowledge items the right answer comes from' })
  @IsOptional()
  @ArrayMaxSize(20)
  knowledgeItemIds?: string[];

  @EnumField(CorrectionScope, { optional: true, description: 'Where the AI applies what it learns from this correction; default ASKED_CONTEXT (only when context learning is on in the workspace)' })
  scope?: CorrectionScope;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}

@ObjectType({ description: 'A correction: the agent message the customer sees and what the AI learned' })
export class CorrectionResult {
  @Field(() => Conversation)
  conversation!: Conversation;

  @Field(() => Message)
  message!: Message;

  @Field(() => KnowledgeItem, { nullable: true, description: 'The learned answer now serving similar questions; null when learning is frozen in the workspace' })
  learnedAnswer!: KnowledgeItem | null;

  @Field({ description: 'CREATED (a new learned answer), VARIANT_ADDED (a known answer learned a new phrasing) or NOT_LEARNED (learning is frozen: the customer got the answer, the AI learned nothing)' })
  learning!: string;
}

@InputType()
export class InboxFilter {
  @Field(() => [ConversationStatus], { nullable: true, description: 'Default: HANDED_OFF' })
  @IsOptional()
  statuses?: ConversationStatus[];

  @TextField({ max: 200, allowEmpty: true, optional: true })
  topic?: string;

  @Field({ nullable: true, description: "Only the caller's claimed conversations" })
  @IsOptional()
  mine?: boolean;

  @Field({ nullable: true, description: 'Only conversations nobody has claimed' })
  @IsOptional()
  unclaimed?: boolean;

  @GroupField('Only conversations re-assigned to this group')
  group?: string;

  @DetectedLanguageFilterField()
  language?: string;

  @PageSizeField()
  first?: number;

  @AfterCursorField()
  after?: string;
}
