import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { DateRangeInput } from '../date-range.types';
import { IntField, TextField } from '../../shared/input-fields';

@ObjectType({ description: 'Questions the AI could not settle, grouped by what they ask' })
export class KnowledgeGap {
  @Field({ description: 'A few characteristic words of the cluster' })
  label!: string;

  @Field(() => [String], { description: 'The heaviest terms of the cluster, most characteristic first' })
  terms!: string[];

  @Field(() => Int, { description: 'Hand-offs and escalations in the range' })
  volume!: number;

  @Field(() => Int, { description: 'The same in the period of equal length just before' })
  previousVolume!: number;

  @Field(() => Int, { description: 'Different wordings in the cluster' })
  distinctQuestions!: number;

  @Field(() => [String], { description: 'Representative questions, as customers wrote them' })
  examples!: string[];
}

@InputType()
export class KnowledgeGapsInput extends DateRangeInput {
  @TextField({ max: 200, allowEmpty: true, optional: true })
  topic?: string;

  @IntField({ min: 1, max: 200, optional: true, description: 'Largest gaps to return; default 20' })
  first?: number;
}
