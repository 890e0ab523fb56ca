/** Customers and accounts of a workspace: upserts keyed by the workspace's own external ids. */
import { DataSource, Repository } from 'typeorm';
import { notFound } from '../../shared/errors';
import { AccountEntity } from './account.entity';
import { CustomerEntity } from './customer.entity';
import type { BillingState } from './customer.types';

export interface AccountFields {
  externalId: string;
  name: string;
  plan?: string;
  billingState?: BillingState;
  seats?: number;
}

export interface CustomerFields {
  externalId: string;
  email?: string;
  name?: string;
  accountExternalId?: string;
}

export class CustomerService {
  private readonly accounts: Repository<AccountEntity>;
  private readonly customers: Repository<CustomerEntity>;

  constructor(private readonly db: DataSource) {
    this.accounts = db.getRepository(AccountEntity);
    this.customers = db.getRepository(CustomerEntity);
  }

  async upsertAccount(workspaceId: string, fields: AccountFields): Promise<AccountEntity> {
    const existing = await this.accounts.findOneBy({ workspaceId, externalId: fields.externalId });
    const next = this.accounts.merge(existing ?? this.accounts.create({ workspaceId, externalId: fields.externalId }), {
      name: fields.name,
      ...(fields.plan !== undefined ? { plan: fields.plan } : {}),
      ...(fields.billingState !== undefined ? { billingState: fields.billingState } : {}),
      ...(fields.seats !== undefined ? { seats: fields.seats } : {}),
    });
    await this.accounts.upsert(next, { conflictPaths: ['workspaceId', 'externalId'] });
    return this.accounts.findOneByOrFail({ workspaceId, externalId: fields.externalId });
  }

  async upsertCustomer(workspaceId: string, fields: CustomerFields): Promise<CustomerEntity> {
    let accountId: string | null | undefined;
    if (fields.accountExternalId !== undefined) {
      const account = await this.accounts.findOneBy({ workspaceId, externalId: fields.accountExternalId });
      if (!account) throw notFound('Account with external id', fields.accountExternalId);
      accountId = account.id;
    }
    await this.customers.upsert(
      {
        workspaceId,
        externalId: fields.externalId,
        ...(fields.email !== undefined ? { email: fields.email } : {}),
        ...(fields.name !== undefined ? { name: fields.name } : {}),
        ...(accountId !== undefined ? { accountId } : {}),
      },
      { conflictPaths: ['workspaceId', 'externalId'] },
    );
    return this.customers.findOneByOrFail({ workspaceId, externalId: fields.externalId });
  }

  async customerByExternalId(workspaceId: string, externalId: string): Promise<CustomerEntity | null> {
    return this.customers.findOneBy({ workspaceId, externalId });
  }
}
