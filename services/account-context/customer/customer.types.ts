import { IsDate, IsEmail, IsOptional } from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Attributes, AttributesPatch, IsAttributesPatch, IsLabelList, IsUsageCounters, UsageCounters } from './profile-fields';
import { EnumField, IntField, TextField } from '../../shared/input-fields';

export enum BillingState {
  TRIALING = 'trialing',
  ACTIVE = 'active',
  PAST_DUE = 'past_due',
  CANCELED = 'canceled',
}
registerEnumType(BillingState, { name: 'BillingState' });

/** An optional change to custom attributes on an upsert input: `@AttributesPatchField() attributes?: AttributesPatch`. */
function AttributesPatchField(): PropertyDecorator {
  return (target, property) => {
    Field(() => GraphQLJSONObject, {
      nullable: true,
      description: 'Custom attributes to set (key → string, number or boolean); a null value removes the key, keys not named are kept',
    })(target, property);
    IsOptional()(target, property);
    IsAttributesPatch()(target, property);
  };
}

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

  @Field(() => Date, { nullable: true, description: 'When the account signed up' })
  signedUpAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the account finished onboarding' })
  onboardedAt!: Date | null;

  @Field(() => GraphQLJSONObject, { description: 'Usage counters: counter name → number, e.g. {"api_calls_30d": 1234}' })
  usage!: UsageCounters;

  @Field(() => [String], { description: 'Feature flags enabled for the account' })
  featureFlags!: string[];

  @Field(() => [String], { description: 'Segments the workspace puts the account in, e.g. "enterprise"' })
  segments!: string[];

  @Field(() => GraphQLJSONObject, { description: "Custom attributes from the workspace's systems: key → string, number or boolean" })
  attributes!: Attributes;

  /** Internal (a field resolver): the account's customers, which conversation's Account.conversations @requires. */
  @Directive('@inaccessible')
  @Field(() => [ID], { description: "Internal: the ids of the account's customers (for Account.conversations)" })
  customerIds?: string[];
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

  @Field(() => GraphQLJSONObject, { description: "Custom attributes from the workspace's systems: key → string, number or boolean" })
  attributes!: Attributes;

  /** Not a GraphQL field: the account field resolver loads it. */
  accountId!: string | null;
}

@InputType()
export class UpsertAccountInput {
  @TextField({ max: 200 })
  externalId!: string;

  @TextField({ max: 200 })
  name!: string;

  @TextField({ max: 100, optional: true })
  plan?: string;

  @EnumField(BillingState, { optional: true })
  billingState?: BillingState;

  @IntField({ min: 0, max: 1_000_000, optional: true })
  seats?: number;

  @Field(() => Date, { nullable: true, description: 'When the account signed up; null clears it' })
  @IsOptional()
  @IsDate()
  signedUpAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the account finished onboarding; null clears it' })
  @IsOptional()
  @IsDate()
  onboardedAt?: Date | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Usage counters to set (name → number ≥ 0); counters not named are kept' })
  @IsOptional()
  @IsUsageCounters()
  usage?: Record<string, number>;

  @Field(() => [String], { nullable: true, description: 'The feature flags enabled for the account; replaces the list' })
  @IsOptional()
  @IsLabelList()
  featureFlags?: string[];

  @Field(() => [String], { nullable: true, description: 'The segments the account is in; replaces the list' })
  @IsOptional()
  @IsLabelList()
  segments?: string[];

  @AttributesPatchField()
  attributes?: AttributesPatch;
}

/** Longest customer id a workspace may use (upsertCustomer's externalId, a customer token's sub). */
export const MAX_CUSTOMER_EXTERNAL_ID = 200;

@InputType()
export class UpsertCustomerInput {
  @TextField({ max: MAX_CUSTOMER_EXTERNAL_ID })
  externalId!: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsEmail()
  email?: string;

  @TextField({ max: 200, optional: true })
  name?: string;

  @TextField({ max: 200, optional: true, description: 'The account the customer belongs to, by its external id' })
  accountExternalId?: string;

  @AttributesPatchField()
  attributes?: AttributesPatch;
}
