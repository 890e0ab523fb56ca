import { IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum BillingState {
  TRIALING = 'trialing',
  ACTIVE = 'active',
  PAST_DUE = 'past_due',
  CANCELED = 'canceled',
}
registerEnumType(BillingState, { name: 'BillingState' });

@Directive('@key(fields: "id")')
@ObjectType({ description: "A customer company of the workspace, with its plan and billing state" })
export class Account {
  @Field(() => ID)
  id!: string;

  @Field()
  externalId!: string;

  @Field()
  name!: string;

  @Field()
  plan!: string;

  @Field(() => BillingState)
  billingState!: BillingState;

  @Field(() => Int)
  seats!: number;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A person who asks for support, belonging to an account' })
export class Customer {
  @Field(() => ID)
  id!: string;

  @Field()
  externalId!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  /** Not a GraphQL field: the account field resolver loads it. */
  accountId!: string | null;
}

@InputType()
export class UpsertAccountInput {
  @Field()
  @IsString()
  @Length(1, 200)
  externalId!: string;

  @Field()
  @IsString()
  @Length(1, 200)
  name!: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  plan?: string;

  @Field(() => BillingState, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(BillingState))
  billingState?: BillingState;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  seats?: number;
}

@InputType()
export class UpsertCustomerInput {
  @Field()
  @IsString()
  @Length(1, 200)
  externalId!: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsEmail()
  email?: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @Field({ nullable: true, description: 'The account the customer belongs to, by its external id' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  accountExternalId?: string;
}
