import { IsBoolean } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { TextField } from '../../shared/input-fields';

@InputType()
export class MarkKnowledgeItemSensitiveInput {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'true: answered alone only above the workspace sensitive threshold; false: the usual bar' })
  @IsBoolean()
  sensitive!: boolean;
}

@InputType()
export class MarkTopicSensitiveInput {
  @TextField({ max: 200, allowEmpty: true, description: 'A topic as items carry it (1 to 100 characters)' })
  topic!: string;

  @Field({ description: 'true: every item of the topic needs the workspace sensitive threshold; false: the usual bar' })
  @IsBoolean()
  sensitive!: boolean;
}
