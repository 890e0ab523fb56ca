import { IsDate, IsOptional, Matches } from 'class-validator';
import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { EnumField, TextField } from '../../shared/input-fields';

export enum Granularity {
  DAY = 'day',
  WEEK = 'week',
  MONTH = 'month',
}
registerEnumType(Granularity, { name: 'Granularity', description: "Bucket size, in the workspace's time zone; weeks start on Monday" });

@ObjectType({ description: 'Support figures for one time bucket' })
export class SupportBucket {
  @Field({ description: 'First day of the bucket, YYYY-MM-DD, in the workspace time zone' })
  start!: string;

  @Field(() => Int, { description: 'Questions customers asked in the bucket, follow-ups included' })
  questions!: number;

  @Field(() => Int, { description: 'Questions the AI answered alone' })
  answered!: number;

  @Field(() => Int, { description: 'Questions the AI handed off' })
  handedOff!: number;

  @Field(() => Int, { description: 'Customers who asked for a person after an answer' })
  escalatedByCustomer!: number;

  @Field(() => Int, { description: 'Conversations resolved in the bucket, whenever they started' })
  resolved!: number;

  @Field(() => Int, { description: 'AI answers the customer rated helpful in the bucket' })
  ratedUp!: number;

  @Field(() => Int, { description: 'AI answers the customer rated unhelpful in the bucket' })
  ratedDown!: number;

  @Field(() => Int, { description: 'Conversations started in the bucket (their first question asked in it; a question outside any conversation counts as one), with the filters applied to that first question' })
  conversations!: number;

  @Field(() => Float, { nullable: true, description: 'answered / (answered + handedOff)' })
  automationRate!: number | null;

  @Field(() => Float, { nullable: true, description: '(handedOff + escalatedByCustomer) / questions' })
  handOffRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'resolved / conversations: resolutions in the bucket over conversations started in it' })
  resolutionRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'ratedUp / (ratedUp + ratedDown)' })
  satisfaction!: number | null;

  @Field(() => Int, { description: 'CSAT responses (1–5, asked after resolution)' })
  csatResponses!: number;

  @Field(() => [Int], { description: 'CSAT responses per score: five counts, for scores 1 to 5' })
  csatScores!: number[];

  @Field(() => Float, { nullable: true, description: 'Mean CSAT score (1–5); null with no responses' })
  csatAverage!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of CSAT responses scoring 4 or 5 (the usual CSAT %); null with no responses' })
  csatSatisfied!: number | null;

  @Field(() => Float, { nullable: true, description: 'Conversations started in the bucket: median seconds from hand-off to the first human reply' })
  medianFirstResponseSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: '90th percentile of the same' })
  p90FirstResponseSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: 'Conversations started in the bucket: median seconds from the first question to resolution' })
  medianResolutionSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: '90th percentile of the same' })
  p90ResolutionSeconds!: number | null;
}

@ObjectType()
export class HandOffReasonCount {
  @Field()
  reason!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'CSAT over the whole range for one topic' })
export class TopicCsat {
  @Field()
  topic!: string;

  @Field(() => Int)
  responses!: number;

  @Field(() => Float, { description: 'Mean score, 1–5' })
  average!: number;

  @Field(() => Float, { description: 'Share of responses scoring 4 or 5' })
  satisfied!: number;

  @Field(() => [Int], { description: 'Responses per score, 1 to 5' })
  scores!: number[];
}

@ObjectType({ description: 'What support traffic amounted to over a range, bucket by bucket' })
export class SupportMetrics {
  @Field(() => [SupportBucket], { description: 'Every bucket of the range, in order: one with nothing in it is there, at zero' })
  buckets!: SupportBucket[];

  @Field(() => SupportBucket, { description: 'The whole range (its start is the first bucket)' })
  totals!: SupportBucket;

  @Field(() => [HandOffReasonCount])
  handOffReasons!: HandOffReasonCount[];

  @Field(() => [TopicCsat], { description: 'CSAT by topic over the whole range, most responses first (the filters apply)' })
  csatByTopic!: TopicCsat[];

  @Field({ description: 'The time zone buckets were cut in' })
  timeZone!: string;
}

@InputType()
export class SupportMetricsInput {
  @Field({ description: 'Inclusive start' })
  @IsDate()
  from!: Date;

  @Field({ description: 'Exclusive end' })
  @IsDate()
  to!: Date;

  @EnumField(Granularity, { optional: true, description: 'Default DAY' })
  granularity?: Granularity;

  @TextField({ max: 200, allowEmpty: true, optional: true })
  topic?: string;

  @TextField({ max: 100, allowEmpty: true, optional: true })
  plan?: string;

  @TextField({ max: 2048, allowEmpty: true, optional: true })
  page?: string;

  @TextField({ max: 100, allowEmpty: true, optional: true, description: 'The channel conversations came from, as the front-end named it when asking (AskInput.channel)' })
  channel?: string;

  @Field({ nullable: true, description: "The customers' language (ISO 639 code, e.g. es), as detected on their questions" })
  @IsOptional()
  @Matches(/^[a-z]{2,3}$/, { message: 'language must be an ISO 639 code in lower case, such as "es"' })
  language?: string;
}
