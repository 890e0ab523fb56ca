import { IsBoolean, IsOptional, Max, Min } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { CorrectionToLearn } from '../contracts';
import { KnowledgeItem, LocaleField, MAX_BODY_LENGTH } from '../knowledge-item/knowledge-item.types';
import { EnumField, FloatField, IdField, IdListField, TextField, TextListField } from '../../shared/input-fields';

export enum LearningMode {
  AUTO_PUBLISH = 'auto_publish',
  REVIEW_REQUIRED = 'review_required',
}
registerEnumType(LearningMode, { name: 'LearningMode', description: 'Whether corrections are served at once or after an admin approves them' });

export enum LearningEventKind {
  LEARNED_ANSWER_CREATED = 'learned_answer_created',
  QUESTION_VARIANT_ADDED = 'question_variant_added',
  LEARNED_ANSWER_APPROVED = 'learned_answer_approved',
  LEARNED_ANSWER_REJECTED = 'learned_answer_rejected',
  THRESHOLD_MOVED = 'threshold_moved',
  STALE_FLAGGED = 'stale_flagged',
}
registerEnumType(LearningEventKind, { name: 'LearningEventKind' });

export enum ReviewReason {
  LEARNED_ANSWER = 'learned_answer',
  STALE = 'stale',
}
registerEnumType(ReviewReason, { name: 'ReviewReason' });

@ObjectType({ description: 'One change the learning loop made: what, why, which signal, who acted and approved' })
export class LearningEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => LearningEventKind)
  kind!: LearningEventKind;

  @Field()
  summary!: string;

  @Field({ description: 'The signal that caused it: agent_correction, review, product_change, or an outcome' })
  signal!: string;

  @Field()
  actor!: string;

  @Field(() => String, { nullable: true })
  approvedBy!: string | null;

  @Field(() => String, { nullable: true })
  topic!: string | null;

  @Field(() => KnowledgeItem, { nullable: true })
  knowledgeItem!: KnowledgeItem | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  before!: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  after!: Record<string, unknown> | null;

  @Field(() => Date, { nullable: true })
  revertedAt!: Date | null;

  @Field(() => String, { nullable: true })
  revertedBy!: string | null;

  @Field()
  createdAt!: Date;

  /** The paging cursor; not a GraphQL field. */
  seq!: string;
  itemId!: string | null;
}

@ObjectType()
export class LearningEventPage {
  @Field(() => [LearningEvent])
  events!: LearningEvent[];

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null at the end' })
  nextCursor!: string | null;
}

@InputType()
export class LearningEventsFilter {
  @Field(() => LearningEventKind, { nullable: true })
  @IsOptional()
  kind?: LearningEventKind;

  @IdField({ optional: true })
  knowledgeItemId?: string;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(200)
  first?: number;

  @TextField({ max: 30, allowEmpty: true, optional: true })
  after?: string;
}

@ObjectType()
export class ReviewRequest {
  @Field(() => ID)
  id!: string;

  @Field(() => ReviewReason)
  reason!: ReviewReason;

  @Field(() => KnowledgeItem)
  knowledgeItem!: KnowledgeItem;

  @Field(() => ID, { nullable: true })
  productChangeId!: string | null;

  @Field()
  createdAt!: Date;
}

@InputType()
export class ApproveLearnedAnswerInput {
  @Field(() => ID)
  id!: string;

  @TextField({ max: 300, optional: true, description: 'Edit the title while approving' })
  title?: string;

  @TextField({ max: MAX_BODY_LENGTH, optional: true, description: 'Edit the answer while approving' })
  body?: string;
}

@ObjectType()
export class LearningSettings {
  @Field(() => LearningMode)
  learningMode!: LearningMode;

  @Field(() => Float, { description: 'Share of answers given alone that must be right; thresholds are learned to hold it' })
  targetPrecision!: number;

  @Field(() => Float, { description: 'Confidence an answer from sensitive knowledge (a sensitive item or topic) needs, whatever its topic learned' })
  sensitiveThreshold!: number;

  @Field({
    description:
      'Whether learning is frozen: corrections still reach the customer but teach nothing, and outcomes move neither statistics nor thresholds. Product changes still flag stale content.',
  })
  learningFrozen!: boolean;

  @Field(() => Date, { nullable: true, description: 'When learning was frozen; null while it is on' })
  learningFrozenAt!: Date | null;

  @Field({
    description:
      "Whether learning keeps the asker's context apart (default true): a correction applies to the plan and page area it was made in unless the agent widens its scope, and outcomes in the asker's context (plan, page area, billing state, tenure) weigh in the choice. false: corrections apply to everyone and only overall outcomes count.",
  })
  contextLearning!: boolean;
}

@InputType()
export class UpdateLearningSettingsInput {
  @EnumField(LearningMode, { optional: true })
  learningMode?: LearningMode;

  @FloatField({ min: 0.51, max: 0.99, optional: true })
  targetPrecision?: number;

  @FloatField({ min: 0.5, max: 1, optional: true, description: 'Between 0.5 and 1; 1 hands off every question answered from sensitive knowledge' })
  sensitiveThreshold?: number;

  @Field({ nullable: true, description: 'true freezes learning (the workspace keeps answering but learns nothing from its traffic); false resumes it' })
  @IsOptional()
  @IsBoolean()
  learningFrozen?: boolean;

  @Field({ nullable: true, description: "false: corrections apply to everyone and only overall outcomes count; true (the default): learning keeps the asker's context apart" })
  @IsOptional()
  @IsBoolean()
  contextLearning?: boolean;
}

@ObjectType({ description: 'The confidence a topic needs before the AI answers alone, learned from outcomes' })
export class TopicPolicy {
  @Field()
  topic!: string;

  @Field(() => String, { description: "Whose confidence the threshold judges: retrieval's (articles matched to the question) or the intent model's (learned from corrections)" })
  scale!: string;

  @Field(() => String, {
    nullable: true,
    description: 'A context bucket (plan:…, billing:…, tenure:…, area:…) whose own outcomes gave it its own threshold within the topic; null for the topic as a whole',
  })
  context!: string | null;

  @Field(() => Float, { description: 'Above 1 means every question on the topic is handed off' })
  threshold!: number;

  @Field(() => Int)
  samples!: number;

  @Field(() => Float, { nullable: true })
  precision!: number | null;
}

@Directive('@inaccessible')
@InputType({ description: 'Internal: an agent correction to learn from' })
export class LearnFromCorrectionInput implements CorrectionToLearn {
  @IdField()
  conversationId!: string;

  @IdField()
  messageId!: string;

  @TextField({ max: 16384 })
  question!: string;

  @TextField({ max: MAX_BODY_LENGTH })
  correctedText!: string;

  @IdListField({ max: 20 })
  references!: string[];

  @TextField({ max: 200 })
  agent!: string;

  @TextField({ max: 200 })
  idempotencyKey!: string;

  @IdListField({ max: 20, optional: true, description: 'The items the corrected AI answer cited; a learned answer among them drawn from the same references is flagged stale' })
  correctedItemIds?: string[];

  @LocaleField("The question's language (ISO 639): the learned answer is written in it; default 'en'")
  locale?: string;

  @TextListField({ max: 10, maxLength: 100, optional: true, description: 'Serve the learned answer only to askers on these plans (omitted: every plan)' })
  scopePlans?: string[];

  @TextListField({ max: 10, maxLength: 200, optional: true, description: 'Serve it only from pages in all of these product areas (omitted: any page)' })
  scopeAreas?: string[];

  @TextField({ max: 100, optional: true, description: "The plan of the customer whose question was corrected (omitted: unknown)" })
  askedPlan?: string;

  @TextListField({ max: 10, maxLength: 200, optional: true, description: 'The product areas of the page the question was asked from (empty: no page; omitted: not known)' })
  askedAreas?: string[];

  @TextField({ max: 100, allowEmpty: true, optional: true, description: "The topic the corrected question was classified under: the learned answer's topic when no item is referenced" })
  askedTopic?: string;
}

@Directive('@inaccessible')
@ObjectType({ description: 'Internal: what a correction taught' })
export class LearnedAnswerResult {
  @Field(() => KnowledgeItem, { nullable: true, description: 'The learned answer; null when nothing was learned' })
  knowledgeItem!: KnowledgeItem | null;

  @Field({ description: 'created, variant_added, or not_learned (learning is frozen in the workspace)' })
  outcome!: string;

  @Field(() => ID, { nullable: true })
  learningEventId!: string | null;
}
