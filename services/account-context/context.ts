/** Account-context's per-request context: the verified caller and request-scoped loaders. */
import DataLoader from 'dataloader';
import { DataSource, In } from 'typeorm';
import type { RequestContext } from '../shared/request-context';
import type { SubgraphContext } from '../shared/subgraph-context';
import { AccountEntity } from './customer/account.entity';
import { CustomerEntity } from './customer/customer.entity';

export interface AccountContextContext extends SubgraphContext {
  customers: DataLoader<string, CustomerEntity | null>;
  accounts: DataLoader<string, AccountEntity | null>;
}

/** Loaders are scoped to the caller's workspace, so a foreign id simply finds nothing. */
export function createRequestContext(db: DataSource, auth: RequestContext): AccountContextContext {
  const byIds = <T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) =>
    new DataLoader<string, T | null>(async (ids) => {
      const rows = await load([...ids]);
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    });
  return {
    auth,
    customers: byIds((ids) => db.getRepository(CustomerEntity).findBy({ id: In(ids), workspaceId: auth.workspaceId })),
    accounts: byIds((ids) => db.getRepository(AccountEntity).findBy({ id: In(ids), workspaceId: auth.workspaceId })),
  };
}
