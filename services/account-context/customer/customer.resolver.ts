/** Customer and account queries and upserts. */
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../shared/errors';
import { loadOrNotFound } from '../../shared/loaders';
import { mayReadPersonalData } from '../../shared/personal-data';
import type { RequestContext } from '../../shared/request-context';
import type { AccountContextContext } from '../context';
import type { AccountEntity } from './account.entity';
import type { CustomerEntity } from './customer.entity';
import { AccountChange, CustomerFields, CustomerService } from './customer.service';
import { Account, BillingState, Customer, UpsertAccountInput, UpsertCustomerInput } from './customer.types';

export const toAccount = (entity: AccountEntity): Account => ({
  id: entity.id,
  externalId: entity.externalId,
  name: entity.name,
  plan: entity.plan,
  billingState: entity.billingState as BillingState,
  seats: entity.seats,
  signedUpAt: entity.signedUpAt,
  onboardedAt: entity.onboardedAt,
  usage: entity.usage,
  featureFlags: entity.featureFlags,
  segments: entity.segments,
  attributes: entity.attributes,
});

export const toCustomer = (entity: CustomerEntity): Customer => ({
  id: entity.id,
  externalId: entity.externalId,
  email: entity.email,
  name: entity.name,
  attributes: entity.attributes,
  accountId: entity.accountId,
});

/** GraphQL lets a client send null for any optional field; only the dates give null a meaning (clear it). */
const toAccountChange = (input: UpsertAccountInput): AccountChange => ({
  externalId: input.externalId,
  nameForNewAccount: input.name,
  patch: {
    name: input.name,
    plan: input.plan ?? undefined,
    billingState: input.billingState ?? undefined,
    seats: input.seats ?? undefined,
    signedUpAt: input.signedUpAt,
    onboardedAt: input.onboardedAt,
    usage: input.usage ?? undefined,
    featureFlags: input.featureFlags ?? undefined,
    segments: input.segments ?? undefined,
    attributes: input.attributes ?? undefined,
  },
});

const toCustomerFields = (input: UpsertCustomerInput): CustomerFields => ({
  externalId: input.externalId,
  email: input.email ?? undefined,
  name: input.name ?? undefined,
  accountExternalId: input.accountExternalId ?? undefined,
  attributes: input.attributes ?? undefined,
});

/** Customers are people: analysts reach them only when their workspace grants personal data. */
function assertMayReadCustomers(auth: RequestContext): void {
  if (!mayReadPersonalData(auth)) {
    throw forbidden("Customers are personal data: analysts see them only when the workspace's admin sets analystsSeePersonalData");
  }
}

@Resolver(() => Customer)
export class CustomerResolver {
  constructor(private readonly customers: CustomerService) {}

  @Authorized('agent', 'analyst')
  @Query(() => Customer)
  async customer(@Arg('id', () => ID) id: string, @Ctx() ctx: AccountContextContext): Promise<Customer> {
    assertMayReadCustomers(ctx.auth);
    return toCustomer(await loadOrNotFound(ctx.customers, id, 'Customer'));
  }

  @FieldResolver(() => Account, { nullable: true })
  async account(@Root() customer: Customer, @Ctx() ctx: AccountContextContext): Promise<Account | null> {
    if (!customer.accountId) return null;
    const account = await ctx.accounts.load(customer.accountId);
    return account && toAccount(account);
  }

  @Authorized('admin', 'system')
  @Mutation(() => Customer, { description: 'Create or update a customer by its external id' })
  async upsertCustomer(@Arg('input') input: UpsertCustomerInput, @Ctx() ctx: AccountContextContext): Promise<Customer> {
    return toCustomer(await this.customers.upsertCustomer(ctx.auth.workspaceId, toCustomerFields(input)));
  }
}

@Resolver(() => Account)
export class AccountResolver {
  constructor(private readonly customers: CustomerService) {}

  @Authorized('agent', 'analyst')
  @Query(() => Account)
  async account(@Arg('id', () => ID) id: string, @Ctx() ctx: AccountContextContext): Promise<Account> {
    return toAccount(await loadOrNotFound(ctx.accounts, id, 'Account'));
  }

  @FieldResolver(() => [ID])
  async customerIds(@Root() account: Account, @Ctx() ctx: AccountContextContext): Promise<string[]> {
    return this.customers.customerIdsOfAccount(ctx.auth.workspaceId, account.id);
  }

  @Authorized('admin', 'system')
  @Mutation(() => Account, { description: 'Create or update an account by its external id' })
  async upsertAccount(@Arg('input') input: UpsertAccountInput, @Ctx() ctx: AccountContextContext): Promise<Account> {
    return toAccount(await this.customers.upsertAccount(ctx.auth.workspaceId, toAccountChange(input)));
  }
}

export const customerReference = {
  async __resolveReference(reference: { id: string }, ctx: AccountContextContext): Promise<Customer | null> {
    assertMayReadCustomers(ctx.auth);
    const found = await ctx.customers.load(reference.id);
    return found && toCustomer(found);
  },
};

export const accountReference = {
  async __resolveReference(reference: { id: string }, ctx: AccountContextContext): Promise<Account | null> {
    const found = await ctx.accounts.load(reference.id);
    return found && toAccount(found);
  },
};
