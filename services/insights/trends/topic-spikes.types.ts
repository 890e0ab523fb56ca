import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateRangeInput } from '../date-range.types';

@ObjectType({ description: 'A product change recorded shortly before a spike, touching its topic' })
export class SpikeProductChange {
  @Field(() => ID)
  id!: string;

  @Field()
  title!: string;

  @Field()
  recordedAt!: Date;
}

@ObjectType({ description: "A topic whose volume of conversations rose significantly against its trailing baseline" })
export class TopicSpike {
  @Field()
  topic!: string;

  @Field(() => Int, { description: 'Conversations asking about the topic in the window (follow-ups in the same conversation count once)' })
  volume!: number;

  @Field(() => Float, { description: 'Mean conversations per window over the baseline windows' })
  baseline!: number;

  @Field(() => Float, { description: 'volume / smoothed baseline rate ((baseline conversations + 1) / windows)' })
  ratio!: number;

  @Field(() => Float, { description: 'P(volume or more | Poisson at the smoothed baseline rate)' })
  pValue!: number;

  @Field(() => [SpikeProductChange], { description: 'Changes recorded from linkDays before the window to its end that flagged an item of the topic or name it as a product area' })
  productChanges!: SpikeProductChange[];
}

@ObjectType()
export class TopicSpikes {
  @Field(() => [TopicSpike], { description: 'Most significant first' })
  spikes!: TopicSpike[];

  @Field(() => Int, { description: 'Topics asked about in the window; the significance level is divided by it (Bonferroni)' })
  topicsTested!: number;

  @Field(() => Int, { description: 'Conversations in the baseline windows; with none (a new workspace) no spike is reported' })
  baselineQuestions!: number;
}

@InputType({ description: 'The window to test; the baseline is the windows of the same length just before it' })
export class TopicSpikesInput extends DateRangeInput {
  @Field(() => Int, { nullable: true, description: 'Baseline windows; default 4' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(26)
  baselineWindows?: number;

  @Field(() => Float, { nullable: true, description: 'Family-wise significance level; default 0.01' })
  @IsOptional()
  @IsNumber()
  @Min(1e-9)
  @Max(0.5)
  significance?: number;

  @Field(() => Int, { nullable: true, description: 'Fewest conversations in the window for a spike; default 5' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  minVolume?: number;

  @Field(() => Int, { nullable: true, description: 'Days before the window in which product changes are linked; default 7' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(90)
  linkDays?: number;
}
