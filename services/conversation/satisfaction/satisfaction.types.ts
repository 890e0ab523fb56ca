import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConversationSecretField, IdempotencyKeyField } from '../conversation/conversation.types';
import { IntField, TextField } from '../../shared/input-fields';

/** The longest drop-off window a workspace may set: a week. */
const MAX_WINDOW_MS = 7 * 24 * 3_600_000;

@ObjectType({ description: 'One score of the CSAT survey and how the workspace words it' })
export class CsatScoreLabel {
  @Field(() => Int)
  score!: number;

  @Field()
  label!: string;
}

@ObjectType({ description: 'What the front-end shows a customer once their conversation is resolved' })
export class SatisfactionSurvey {
  @Field()
  question!: string;

  @Field(() => [CsatScoreLabel], { description: 'Scores 1 (worst) to 5 (best), in order' })
  scores!: CsatScoreLabel[];
}

@ObjectType({ description: "A workspace's satisfaction settings" })
export class SatisfactionSettings {
  @Field({ description: 'What the CSAT survey asks after resolution' })
  csatQuestion!: string;

  @Field(() => [String], { description: 'The five labels, for scores 1 (worst) to 5 (best)' })
  csatLabels!: string[];

  @Field(() => Int, { description: 'An AI answer with no rating, resolution or follow-up this long after it is recorded as a drop-off' })
  dropOffWindowMs!: number;
}

@InputType()
export class UpdateSatisfactionSettingsInput {
  @TextField({ max: 300, optional: true, description: '1–300 characters' })
  csatQuestion?: string;

  @Field(() => [String], { nullable: true, description: 'Exactly five labels, for scores 1 to 5; each 1–60 characters' })
  @IsOptional()
  @ArrayMinSize(5, { message: 'csatLabels needs exactly five labels, for scores 1 to 5' })
  @ArrayMaxSize(5, { message: 'csatLabels needs exactly five labels, for scores 1 to 5' })
  @IsString({ each: true })
  @Length(1, 60, { each: true })
  csatLabels?: string[];

  @IntField({ min: 1_000, max: MAX_WINDOW_MS, optional: true, description: `1,000 ms (a second) to ${MAX_WINDOW_MS} ms (a week)` })
  dropOffWindowMs?: number;
}

@InputType()
export class RateConversationInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => Int, { description: '1 (very dissatisfied) to 5 (very satisfied)' })
  @IsInt()
  @Min(1, { message: 'score must be from 1 to 5' })
  @Max(5, { message: 'score must be from 1 to 5' })
  score!: number;

  @TextField({ max: 2000, allowEmpty: true, optional: true, description: 'Up to 2,000 characters' })
  comment?: string;

  @ConversationSecretField()
  conversationSecret?: string;

  @IdempotencyKeyField()
  idempotencyKey?: string;
}
