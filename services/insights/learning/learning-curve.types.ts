import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { Granularity } from '../metrics/support-metrics.types';
import { DateRangeInput } from '../date-range.types';
import { EnumField, IntField } from '../../shared/input-fields';

@ObjectType({ description: 'What the AI learned in one time bucket' })
export class LearningCurveBucket {
  @Field({ description: 'First day of the bucket, YYYY-MM-DD, in the workspace time zone' })
  start!: string;

  @Field(() => Int, { description: 'Agent corrections taken in' })
  correctionsAbsorbed!: number;

  @Field(() => Int, { description: 'Learned answers published in the bucket that are still served (one reverted or archived since is not counted)' })
  learnedAnswersPublished!: number;

  @Field(() => Int, { description: 'New phrasings of known answers' })
  phrasingsLearned!: number;

  @Field(() => Int, { description: 'Topic threshold moves towards answering alone' })
  topicsOpened!: number;

  @Field(() => Int, { description: 'Topic threshold moves towards handing off' })
  topicsClosed!: number;

  @Field(() => Float, { nullable: true })
  automationRate!: number | null;
}

@ObjectType({ description: 'A topic, plan and page where customers were not helped' })
export class FrictionPoint {
  @Field()
  topic!: string;

  @Field()
  plan!: string;

  @Field()
  page!: string;

  @Field(() => Int)
  repeatContacts!: number;

  @Field(() => Int)
  downRatings!: number;

  @Field(() => Int, { description: 'Hand-offs by the AI and customers asking for a person' })
  handOffs!: number;

  @Field(() => Int, { description: 'AI answers the customer left with no rating, resolution or follow-up within the drop-off window; each weighs a quarter in the ranking' })
  dropOffs!: number;
}

@InputType()
export class InsightRangeInput extends DateRangeInput {
  @EnumField(Granularity, { optional: true, description: 'Default WEEK' })
  granularity?: Granularity;

  @IntField({ min: 1, max: 200, optional: true, description: 'For ranked lists; default 20' })
  first?: number;
}
