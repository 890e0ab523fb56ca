import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { Directive, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { CONFIDENCE_SCALES, ConfidenceScale } from '../learning/answer-policy';
import { SOURCE_KINDS, SourceKind } from '../learning/learning-trust';
import type { RetrievalCandidate as RetrievalCandidateContract } from '../contracts';
import { LocaleField } from '../knowledge-item/knowledge-item.types';
import { FloatField, IntField, TextField, TextListField } from '../../shared/input-fields';

@Directive('@inaccessible')
@ObjectType({ description: 'Internal: a knowledge item that may answer a question, with the passage to cite' })
export class RetrievalCandidate implements RetrievalCandidateContract {
  @Field(() => ID)
  knowledgeItemId!: string;

  @Field()
  kind!: string;

  @Field()
  title!: string;

  @Field()
  topic!: string;

  @Field(() => Int)
  itemVersion!: number;

  @Field()
  stale!: boolean;

  @Field({ description: 'Marked sensitive (the item or its topic)' })
  sensitive!: boolean;

  @Field(() => ID)
  passageId!: string;

  @Field()
  passageText!: string;

  @Field(() => String, { nullable: true, description: 'The learned question that matched, if any' })
  matchedQuestion!: string | null;

  @Field(() => Float)
  score!: number;
}

@Directive('@inaccessible')
@ObjectType({ description: 'Internal: what knowledge says about a question' })
export class RetrievalResult {
  @Field(() => [RetrievalCandidate])
  candidates!: RetrievalCandidate[];

  @Field()
  topic!: string;

  @Field(() => Float)
  confidence!: number;

  @Field(() => Float, { description: "The confidence needed to answer: the topic's learned threshold, or the sensitive bar when the best item is sensitive" })
  threshold!: number;

  @Field({ description: 'The best item is sensitive' })
  sensitive!: boolean;

  @Field(() => [String], { description: 'The locales the workspace has published knowledge in, most items first' })
  locales!: string[];

  @Field(() => String, { description: `Whose confidence this is (${CONFIDENCE_SCALES.join(', ')}): an outcome of the answer calibrates that scale's threshold` })
  scale!: ConfidenceScale;
}

@Directive('@inaccessible')
@InputType()
export class RetrieveForQuestionInput {
  @TextField({ max: 16384 })
  text!: string;

  @TextField({ max: 100, allowEmpty: true, optional: true, description: "The asker's plan, for audience filtering" })
  plan?: string;

  @IntField({ min: 1, max: 20, optional: true })
  limit?: number;

  @Field(() => [String], { nullable: true, description: "The asker's account segments, for audience filtering" })
  @IsOptional()
  @IsString({ each: true })
  segments?: string[];

  @LocaleField("Only knowledge in the asker's language (an ISO 639 code)")
  locale?: string;

  @TextListField({ max: 10, maxLength: 200, optional: true, description: 'The product areas of the page asked from: learned answers scoped to a page area are served only there' })
  pageAreas?: string[];

  @TextListField({ max: 16, maxLength: 300, optional: true, description: "The asker's context buckets (plan:…, billing:…, tenure:…, area:…): outcome evidence in them weighs in the choice" })
  context?: string[];
}

export const OUTCOME_SIGNALS = ['shown', 'resolved', 'rated_up', 'rated_down', 'escalated', 'corrected', 'repeat_contact', 'dropped_off', 'handoff_reviewed'] as const;

@Directive('@inaccessible')
@InputType()
export class RecordOutcomeInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  knowledgeItemId?: string;

  @TextField({ max: 200, allowEmpty: true })
  topic!: string;

  @FloatField({ min: 0, max: 1 })
  confidence!: number;

  @Field(() => String, { description: OUTCOME_SIGNALS.join(', ') })
  @IsIn(OUTCOME_SIGNALS)
  signal!: (typeof OUTCOME_SIGNALS)[number];

  @Field(() => String, { nullable: true, description: `Whose confidence \`confidence\` is (${CONFIDENCE_SCALES.join(', ')}), as retrieval said; omitted: retrieval` })
  @IsOptional()
  @IsIn(CONFIDENCE_SCALES)
  scale?: ConfidenceScale;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  correct?: boolean;

  @TextField({ max: 16384, optional: true, description: "The customer's question, sent when the signal confirms the answer was right: learned as a phrasing the item answers" })
  confirmedQuestion?: string;

  @Field(() => String, { nullable: true, description: `Who gave the signal: ${SOURCE_KINDS.join(', ')}; omitted, a trusted internal signal` })
  @IsOptional()
  @IsIn(SOURCE_KINDS)
  source?: SourceKind;

  @TextField({ max: 200, optional: true, description: 'The customer id, the anonymous visitor\'s conversation id, or the agent' })
  sourceId?: string;

  @FloatField({ min: 0, optional: true, description: 'For resolved: seconds from the answer to the resolution' })
  secondsToResolution?: number;

  @TextListField({ max: 16, maxLength: 300, optional: true, description: 'The context buckets the answer was given in: the verdict also counts in each' })
  context?: string[];

  @TextField({ max: 200, optional: true, description: 'Names this signal (the answer and the signal): a resent signal with a key already taken changes nothing' })
  @Matches(/^[A-Za-z0-9_.:-]+$/, { message: 'idempotencyKey may hold letters, digits and _ . : - only' })
  idempotencyKey?: string;
}
