import { ValidateNested } from 'class-validator';
import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Granularity } from '../metrics/support-metrics.types';
import { DateRangeInput } from '../date-range.types';
import { EnumField, IntField, TextField } from '../../shared/input-fields';

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

  @Field(() => Int, { description: 'Questions asked (in the context, when one is given)' })
  questions!: number;

  @Field(() => Float, { nullable: true, description: 'answered / (answered + handed off), in the context when one is given; null with no decisions' })
  automationRate!: number | null;
}

/** How friction points are keyed: the values are asker-context.ts's ContextKind. */
export enum FrictionBreakdown {
  PLAN = 'plan',
  PAGE_AREA = 'pageArea',
}
registerEnumType(FrictionBreakdown, {
  name: 'FrictionBreakdown',
  description: 'Friction points per topic and one context bucket instead of per topic, plan and page',
  valuesConfig: {
    PLAN: { description: "Per topic and plan; page and pageArea are ''" },
    PAGE_AREA: { description: "Per topic and page area (a page's first product area); plan and page are ''" },
  },
});

@ObjectType({ description: 'A topic, plan and page where customers were not helped' })
export class FrictionPoint {
  @Field()
  topic!: string;

  @Field()
  plan!: string;

  @Field()
  page!: string;

  @Field({ description: "The page's first (outermost) product area: /settings/billing/invoices/42 → settings; empty for a page with none" })
  pageArea!: string;

  @Field(() => Int)
  repeatContacts!: number;

  @Field(() => Int)
  downRatings!: number;

  @Field(() => Int, { description: 'Hand-offs by the AI and customers asking for a person' })
  handOffs!: number;

  @Field(() => Int, { description: 'AI answers the customer left with no rating, resolution or follow-up within the drop-off window; each weighs a quarter in the ranking' })
  dropOffs!: number;
}

@InputType({ description: "Where askers were: their plan and the product area of the page they asked from. Billing state and tenure are not in the warehouse" })
export class InsightContextInput {
  @TextField({ max: 100, optional: true, description: 'The asker\'s plan, as account context has it (e.g. pro)' })
  plan?: string;

  @TextField({
    max: 100,
    optional: true,
    description: "A page's first (outermost) product area: settings for /settings/billing/invoices/42. Compared in normal form (lower case, spaces and underscores as -)",
  })
  pageArea?: string;
}

@InputType()
export class InsightRangeInput extends DateRangeInput {
  @EnumField(Granularity, { optional: true, description: 'Default WEEK' })
  granularity?: Granularity;

  @IntField({ min: 1, max: 200, optional: true, description: 'For ranked lists; default 20' })
  first?: number;

  @Field(() => InsightContextInput, {
    nullable: true,
    description:
      'Only questions from this plan and/or page area. Cuts questions, automation and friction signals; the learning curve\'s corrections, learned answers, phrasings and topic moves carry no asker context and stay the workspace\'s',
  })
  @ValidateNested()
  context?: InsightContextInput;
}
