/** Account-context's per-request context: the verified caller and request-scoped loaders. */
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import { loaderById } from '../shared/loaders';
import type { RequestContext } from '../shared/request-context';
import type { SubgraphContext } from '../shared/subgraph-context';
import { AgentEntity } from './agent/agent.entity';
import { AccountEntity } from './customer/account.entity';
import { CustomerEntity } from './customer/customer.entity';

export interface AccountContextContext extends SubgraphContext {
  customers: DataLoader<string, CustomerEntity | null>;
  accounts: DataLoader<string, AccountEntity | null>;
  agents: DataLoader<string, AgentEntity | null>;
  /** Bugs name accounts by the workspace's external ids. */
  accountsByExternalId: DataLoader<string, AccountEntity | null>;
}

/** Loaders are scoped to the caller's workspace, so a foreign id simply finds nothing. */
export function createRequestContext(db: DataSource, auth: RequestContext): AccountContextContext {
  return {
    auth,
    customers: loaderById((ids) => db.getRepository(CustomerEntity).findBy({ id: In(ids), workspaceId: auth.workspaceId })),
    accounts: loaderById((ids) => db.getRepository(AccountEntity).findBy({ id: In(ids), workspaceId: auth.workspaceId })),
    agents: loaderById((ids) => db.getRepository(AgentEntity).findBy({ id: In(ids), workspaceId: auth.workspaceId })),
    accountsByExternalId: new DataLoader<string, AccountEntity | null>(async (externalIds) => {
      const rows = await db.getRepository(AccountEntity).findBy({ externalId: In([...externalIds]), workspaceId: auth.workspaceId });
      const found = new Map(rows.map((row) => [row.externalId, row]));
      return externalIds.map((externalId) => found.get(externalId) ?? null);
    }),
  };
}
