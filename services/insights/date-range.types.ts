/** The required from/to pair that insights inputs over a fixed window share (checked by time-range.ts's checkRange). */
import { IsDate } from 'class-validator';
import { Field, InputType } from 'type-graphql';

/** Never an argument itself, so the schema has no DateRangeInput; each input extending it prints from and to first. */
@InputType()
export abstract class DateRangeInput {
  @Field()
  @IsDate()
  from!: Date;

  @Field()
  @IsDate()
  to!: Date;
}
