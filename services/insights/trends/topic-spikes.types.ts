import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateRangeInput } from '../date-range.types';
import { FloatField, IntField } from '../../shared/input-fields';

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
  @IntField({ min: 1, max: 26, optional: true, description: 'Baseline windows; default 4' })
  baselineWindows?: number;

  @FloatField({ min: 1e-9, max: 0.5, optional: true, description: 'Family-wise significance level; default 0.01' })
  significance?: number;

  @IntField({ min: 1, max: 100_000, optional: true, description: 'Fewest conversations in the window for a spike; default 5' })
  minVolume?: number;

  @IntField({ min: 0, max: 90, optional: true, description: 'Days before the window in which product changes are linked; default 7' })
  linkDays?: number;
}
