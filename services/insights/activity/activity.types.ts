import { IsDate, IsOptional } from 'class-validator';
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What the support traffic of a time range amounted to' })
export class ActivitySummary {
  @Field()
  from!: Date;

  @Field()
  to!: Date;

  @Field(() => Int)
  questions!: number;

  @Field(() => Int, { description: 'Questions the AI answered alone' })
  answered!: number;

  @Field(() => Int)
  handedOff!: number;

  @Field(() => Float, { nullable: true, description: 'answered / (answered + handedOff); null with no decisions' })
  automationRate!: number | null;
}

@InputType()
export class TimeRangeInput {
  @Field({ nullable: true, description: 'Inclusive start; default 30 days before to' })
  @IsOptional()
  @IsDate()
  from?: Date;

  @Field({ nullable: true, description: 'Exclusive end; default now' })
  @IsOptional()
  @IsDate()
  to?: Date;
}
