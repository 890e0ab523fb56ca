import { ArrayMaxSize, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { Authorized, Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LOCALE_PATTERN } from './locale';
import { TextField } from '../../shared/input-fields';

/** An optional locale argument: an ISO 639 code in lower case. */
export function LocaleField(description: string): PropertyDecorator {
  return (target, property) => {
    Field(() => String, { nullable: true, description })(target, property);
    IsOptional()(target, property);
    Matches(LOCALE_PATTERN, { message: `$property must be an ISO 639 language code in lower case, such as "en" or "es"` })(target, property);
  };
}

/** An optional list of short labels (tags, plans, segments): at most 50, each 1–100 characters. */
function LabelList(description?: string): PropertyDecorator {
  return (target, property) => {
    Field(() => [String], { nullable: true, description })(target, property);
    IsOptional()(target, property);
    ArrayMaxSize(50)(target, property);
    IsString({ each: true })(target, property);
    Length(1, 100, { each: true })(target, property);
  };
}

export enum KnowledgeItemKind {
  ARTICLE = 'article',
  LEARNED_ANSWER = 'learned_answer',
}
registerEnumType(KnowledgeItemKind, { name: 'KnowledgeItemKind' });

export enum KnowledgeItemStatus {
  PUBLISHED = 'published',
  PENDING_REVIEW = 'pending_review',
  ARCHIVED = 'archived',
}
registerEnumType(KnowledgeItemStatus, { name: 'KnowledgeItemStatus' });

@ObjectType({ description: 'Where a learned answer came from' })
export class LearnedFrom {
  @Field(() => ID)
  conversationId!: string;

  @Field()
  agent!: string;

  @Field()
  at!: Date;

  @Field(() => [ID], { description: 'Knowledge items the agent referred to' })
  references!: string[];
}

@ObjectType({ description: 'What happened after answers grounded in an item; ranking reads these' })
export class KnowledgeItemStats {
  @Field(() => Int, { description: 'AI answers that cited it' })
  shown!: number;

  @Field(() => Int, { description: 'Answers citing it whose conversation was then resolved' })
  resolved!: number;

  @Field(() => Int, { description: 'Answers citing it that the customer rated helpful' })
  ratedUp!: number;

  @Field(() => Int, { description: 'Answers citing it that the customer rated unhelpful' })
  ratedDown!: number;

  @Field(() => Int, { description: 'Answers citing it after which the customer asked for a person' })
  escalatedAfter!: number;

  @Field(() => Int, { description: 'Answers citing it that an agent corrected' })
  corrected!: number;

  @Field(() => Int, { description: 'Answers citing it after which the same customer asked a similar question in a new conversation' })
  repeatContactAfter!: number;

  @Field(() => Int, { description: 'Answers citing it that the customer left with no rating, resolution or follow-up within the drop-off window' })
  droppedOffAfter!: number;

  @Field(() => Float, { nullable: true, description: "Mean seconds from an answer citing it to its conversation's resolution by the customer; null before any" })
  meanSecondsToResolution!: number | null;
}

@ObjectType()
export class KnowledgeItemVersion {
  @Field(() => Int)
  version!: number;

  @Field()
  title!: string;

  @Field()
  body!: string;

  @Field()
  author!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: "Where a learned answer is served: the context of the correction it came from, unless the agent widened it" })
export class ContextScope {
  @Field(() => [String], { description: 'Served only to askers on one of these plans; empty means every plan' })
  plans!: string[];

  @Field(() => [String], { description: 'Served only from pages in all of these product areas (that area and the pages under it); empty means any page' })
  areas!: string[];
}

/**
 * The fields a customer's widget may not read of an item its answer cited (Message.citations): where a learned
 * answer came from (another customer's conversation, the agent who corrected it) and how the workspace curates its
 * knowledge. All nullable, so a widget that asks for one gets its FORBIDDEN error beside the answer, not instead of
 * it. Admins read them too. (audienceSegments, not nullable, reads as empty to a widget: KnowledgeItemResolver.)
 */
const STAFF = ['agent', 'analyst'] as const;

@Directive('@key(fields: "id")')
@ObjectType({
  description:
    "An article or a learned answer that answers can be grounded in. A widget (through an answer's citations) may not read learnedFrom, staleReason, supersededBy or externalKey (FORBIDDEN), and reads audienceSegments as empty",
})
export class KnowledgeItem {
  @Field(() => ID)
  id!: string;

  @Field(() => KnowledgeItemKind)
  kind!: KnowledgeItemKind;

  @Field(() => KnowledgeItemStatus)
  status!: KnowledgeItemStatus;

  @Field()
  title!: string;

  @Field({ description: 'Markdown' })
  body!: string;

  @Field()
  topic!: string;

  @Field(() => [String])
  tags!: string[];

  @Field({ description: "The language it is written in, an ISO 639 code ('en', 'es', ...); answers prefer the asker's" })
  locale!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => [String], { description: 'Plans the item is for; empty means every plan' })
  audiencePlans!: string[];

  @Field(() => [String], { description: 'Customer segments the item is for; empty means every segment (always empty to a widget)' })
  audienceSegments!: string[];

  @Field(() => ContextScope, { description: 'For a learned answer, the context it is served in; articles are served in every context (their audience decides who sees them)' })
  scope!: ContextScope;

  @Authorized(...STAFF)
  @Field(() => String, { nullable: true, description: "The importer's stable key" })
  externalKey!: string | null;

  @Field({ description: 'Flagged by a product change and not yet reviewed' })
  stale!: boolean;

  @Field({ description: "Marked sensitive by an admin: answered alone only above the workspace's sensitive threshold" })
  sensitive!: boolean;

  @Authorized(...STAFF)
  @Field(() => String, { nullable: true })
  staleReason!: string | null;

  @Authorized(...STAFF)
  @Field(() => ID, { nullable: true, description: 'For a stale learned answer: the newer answer an agent gave from the same sources, which now answers its questions' })
  supersededBy!: string | null;

  @Authorized(...STAFF)
  @Field(() => LearnedFrom, { nullable: true, description: 'For learned answers: the correction it came from' })
  learnedFrom!: LearnedFrom | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

export const MAX_BODY_LENGTH = 100_000;

@InputType()
export class CreateArticleInput {
  @TextField({ max: 300 })
  title!: string;

  @TextField({ max: MAX_BODY_LENGTH, description: 'Markdown' })
  body!: string;

  @TextField({ max: 100, allowEmpty: true, optional: true })
  topic?: string;

  @LabelList()
  tags?: string[];

  @LocaleField("The language it is written in, an ISO 639 code; default 'en'")
  locale?: string;

  @LabelList('Plans the article is for; omit or empty for every plan')
  audiencePlans?: string[];

  @LabelList()
  audienceSegments?: string[];

  @TextField({ max: 200, optional: true, description: 'Stable key for re-imports (e.g. a slug); unique per workspace' })
  externalKey?: string;
}

@InputType()
export class UpdateArticleInput {
  @Field(() => ID)
  id!: string;

  @TextField({ max: 300, optional: true })
  title?: string;

  @TextField({ max: MAX_BODY_LENGTH, optional: true, description: 'Markdown; a changed body or title makes a new version' })
  body?: string;

  @TextField({ max: 100, allowEmpty: true, optional: true })
  topic?: string;

  @LabelList()
  tags?: string[];

  @LocaleField('The language it is written in, an ISO 639 code')
  locale?: string;

  @LabelList()
  audiencePlans?: string[];

  @LabelList()
  audienceSegments?: string[];
}

@InputType()
export class KnowledgeItemRef {
  @Field(() => ID)
  id!: string;
}

@InputType()
export class ImportArticlesInput {
  @Field(() => [CreateArticleInput], { description: 'At most 1000; each needs an externalKey' })
  @ValidateNested({ each: true })
  @ArrayMaxSize(1000)
  articles!: CreateArticleInput[];
}

@ObjectType()
export class ImportSummary {
  @Field(() => Int)
  created!: number;

  @Field(() => Int)
  updated!: number;

  @Field(() => Int)
  unchanged!: number;

  @Field(() => [KnowledgeItem])
  items!: KnowledgeItem[];
}


