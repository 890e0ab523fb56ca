/**
 * Customers and accounts of a workspace: upserts keyed by the workspace's own external ids. Every change is
 * made under a row lock and writes its outbox event in the same transaction; an upsert that changes nothing
 * writes nothing.
 */
import { DataSource, EntityManager, Repository } from 'typeorm';
import { notFound } from '../../shared/errors';
import { recordEvents } from '../../shared/outbox';
import { AccountEntity } from './account.entity';
import { CustomerEntity } from './customer.entity';
import {
  AccountPatch,
  AccountProfile,
  CustomerPatch,
  CustomerProfile,
  EMPTY_ACCOUNT_PROFILE,
  patchAccount,
  patchCustomer,
} from './profile-patch';
import type { AttributesPatch } from './profile-fields';

/** Where a change came from, recorded on its event. */
export type ChangeSource = 'api' | 'billing' | 'crm';

export interface AccountChange {
  externalId: string;
  /** The name an account gets when this change creates it; an existing account keeps its name unless the patch sets one. */
  nameForNewAccount: string;
  patch: AccountPatch;
  /**
   * When the billing provider produced the subscription event behind this change. Billing events may be
   * delivered out of order: one older than the last applied is stale and skipped.
   */
  billingEventAt?: Date;
}

export type AccountOutcome = 'created' | 'updated' | 'unchanged' | 'stale';

export interface CustomerFields {
  externalId: string;
  email?: string;
  name?: string;
  accountExternalId?: string;
  attributes?: AttributesPatch;
}

const accountProfileOf = (account: AccountEntity): AccountProfile => ({
  name: account.name,
  plan: account.plan,
  billingState: account.billingState,
  seats: account.seats,
  signedUpAt: account.signedUpAt,
  onboardedAt: account.onboardedAt,
  usage: account.usage,
  featureFlags: account.featureFlags,
  segments: account.segments,
  attributes: account.attributes,
});

const customerProfileOf = (customer: CustomerEntity): CustomerProfile => ({
  email: customer.email,
  name: customer.name,
  accountId: customer.accountId,
  attributes: customer.attributes,
});

export class CustomerService {
  private readonly accounts: Repository<AccountEntity>;
  private readonly customers: Repository<CustomerEntity>;

  constructor(private readonly db: DataSource) {
    this.accounts = db.getRepository(AccountEntity);
    this.customers = db.getRepository(CustomerEntity);
  }

  async upsertAccount(workspaceId: string, change: AccountChange): Promise<AccountEntity> {
    return this.db.transaction(async (tx) => (await this.applyAccountChange(tx, workspaceId, change, 'api')).account);
  }

  /** Creates or updates the account inside the caller's transaction and records what changed. */
  async applyAccountChange(
    tx: EntityManager,
    workspaceId: string,
    change: AccountChange,
    source: ChangeSource,
  ): Promise<{ account: AccountEntity; outcome: AccountOutcome }> {
    const repository = tx.getRepository(AccountEntity);
    const key = { workspaceId, externalId: change.externalId };
    let account = await repository.findOne({ where: key, lock: { mode: 'pessimistic_write' } });
    if (!account) {
      const initial = patchAccount({ name: change.nameForNewAccount, ...EMPTY_ACCOUNT_PROFILE }, change.patch).next;
      const inserted = await repository
        .createQueryBuilder()
        .insert()
        .into(AccountEntity)
        .values({ ...key, ...initial, billingEventAt: change.billingEventAt ?? null })
        .orIgnore()
        .returning(['id'])
        .execute();
      const insertedId = (inserted.raw as Array<{ id: string }>)[0]?.id;
      if (insertedId) {
        account = await repository.findOneByOrFail({ id: insertedId });
        await this.recordAccountEvent(tx, account, 'created', source, Object.keys(initial));
        return { account, outcome: 'created' };
      }
      // Another request created it between our read and insert: update the row it wrote.
      account = await repository.findOneOrFail({ where: key, lock: { mode: 'pessimistic_write' } });
    }
    if (change.billingEventAt && account.billingEventAt && account.billingEventAt > change.billingEventAt) return { account, outcome: 'stale' };
    const { next, changed } = patchAccount(accountProfileOf(account), change.patch);
    if (change.billingEventAt) account.billingEventAt = change.billingEventAt;
    if (changed.length === 0) {
      // Only the ordering mark moved: bookkeeping, not a change anyone needs to hear about.
      if (change.billingEventAt) await repository.update({ id: account.id }, { billingEventAt: change.billingEventAt });
      return { account, outcome: 'unchanged' };
    }
    Object.assign(account, next);
    account = await repository.save(account);
    await this.recordAccountEvent(tx, account, 'updated', source, changed);
    return { account, outcome: 'updated' };
  }

  async upsertCustomer(workspaceId: string, fields: CustomerFields): Promise<CustomerEntity> {
    let accountId: string | undefined;
    if (fields.accountExternalId !== undefined) {
      const account = await this.accounts.findOneBy({ workspaceId, externalId: fields.accountExternalId });
      if (!account) throw notFound('Account with external id', fields.accountExternalId);
      accountId = account.id;
    }
    const patch: CustomerPatch = { email: fields.email, name: fields.name, accountId, attributes: fields.attributes };
    // The conversation service ensures its customer on every question: answer that without a transaction.
    const existing = await this.customers.findOneBy({ workspaceId, externalId: fields.externalId });
    if (existing && patchCustomer(customerProfileOf(existing), patch).changed.length === 0) return existing;
    return this.db.transaction((tx) => this.applyCustomerChange(tx, workspaceId, fields.externalId, patch));
  }

  async customerByExternalId(workspaceId: string, externalId: string): Promise<CustomerEntity | null> {
    return this.customers.findOneBy({ workspaceId, externalId });
  }

  async customerById(workspaceId: string, id: string): Promise<CustomerEntity | null> {
    return this.customers.findOneBy({ workspaceId, id });
  }

  /** At most 10,000: an account's history is for agents to read, not an export. */
  async customerIdsOfAccount(workspaceId: string, accountId: string): Promise<string[]> {
    const rows = await this.db.getRepository(CustomerEntity).find({ select: { id: true }, where: { workspaceId, accountId }, order: { createdAt: 'ASC' }, take: 10_000 });
    return rows.map((row) => row.id);
  }

  async accountById(workspaceId: string, id: string): Promise<AccountEntity | null> {
    return this.accounts.findOneBy({ workspaceId, id });
  }

  private async applyCustomerChange(tx: EntityManager, workspaceId: string, externalId: string, patch: CustomerPatch): Promise<CustomerEntity> {
    const repository = tx.getRepository(CustomerEntity);
    const key = { workspaceId, externalId };
    let customer = await repository.findOne({ where: key, lock: { mode: 'pessimistic_write' } });
    if (!customer) {
      const initial = patchCustomer({ email: null, name: null, accountId: null, attributes: {} }, patch);
      const inserted = await repository.createQueryBuilder().insert().into(CustomerEntity).values({ ...key, ...initial.next }).orIgnore().returning(['id']).execute();
      const insertedId = (inserted.raw as Array<{ id: string }>)[0]?.id;
      if (insertedId) {
        customer = await repository.findOneByOrFail({ id: insertedId });
        await this.recordCustomerEvent(tx, customer, 'created', initial.changed);
        return customer;
      }
      customer = await repository.findOneOrFail({ where: key, lock: { mode: 'pessimistic_write' } });
    }
    const { next, changed } = patchCustomer(customerProfileOf(customer), patch);
    if (changed.length === 0) return customer;
    Object.assign(customer, next);
    customer = await repository.save(customer);
    await this.recordCustomerEvent(tx, customer, 'updated', changed);
    return customer;
  }

  /** Values that help slice support traffic (plan, billing state, seats) travel on the event; the rest by name. */
  private recordAccountEvent(tx: EntityManager, account: AccountEntity, what: 'created' | 'updated', source: ChangeSource, changed: readonly string[]) {
    return recordEvents(tx, [
      {
        workspaceId: account.workspaceId,
        type: `account_${what}`,
        payload: {
          accountId: account.id,
          externalId: account.externalId,
          source,
          changed,
          plan: account.plan,
          billingState: account.billingState,
          seats: account.seats,
        },
      },
    ]);
  }

  /** Customer events name the changed fields only: emails and names stay out of the warehouse. */
  private recordCustomerEvent(tx: EntityManager, customer: CustomerEntity, what: 'created' | 'updated', changed: readonly string[]) {
    return recordEvents(tx, [
      {
        workspaceId: customer.workspaceId,
        type: `customer_${what}`,
        payload: { customerId: customer.id, accountId: customer.accountId ?? '', source: 'api', changed },
      },
    ]);
  }
}
