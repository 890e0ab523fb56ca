import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Bug } from '../bug/bug.types';
import { Account, Customer } from '../customer/customer.types';
import { TextField } from '../../shared/input-fields';

@InputType()
export class QuestionContextInput {
  @Field(() => ID, { description: 'The customer asking' })
  customerId!: string;

  @TextField({ max: 2048, allowEmpty: true, optional: true, description: 'The page the customer asks from: a path or a URL' })
  page?: string;
}

@ObjectType({ description: 'What the answerer knows about the person asking' })
export class QuestionContext {
  @Field(() => Customer)
  customer!: Customer;

  @Field(() => Account, { nullable: true, description: "The customer's account: plan, billing state, seats, flags, segments, dates" })
  account!: Account | null;

  @Field(() => [Bug], {
    description: "Open bugs linked to the customer's account or in a product area of the page, the account's own first (at most 10)",
  })
  openBugs!: Bug[];

  @Field(() => String, { nullable: true })
  page!: string | null;

  @Field(() => [String], { description: 'The product areas read from the page path; bugs labelled "area:<name>" with one of them match' })
  pageProductAreas!: string[];
}
