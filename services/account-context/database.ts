/** Account-context's tables live in the Postgres schema "account_context". */
import { openServiceDatabase } from '../shared/database';
import { AccountEntity } from './customer/account.entity';
import { CustomerEntity } from './customer/customer.entity';
import { Initial1764100000000 } from './migrations/1764100000000-initial';
import { ApiKeyEntity } from './workspace/api-key.entity';
import { WorkspaceEntity } from './workspace/workspace.entity';

export const ACCOUNT_CONTEXT_SCHEMA = 'account_context';

export function openAccountContextDatabase(url: string) {
  return openServiceDatabase({
    url,
    schema: ACCOUNT_CONTEXT_SCHEMA,
    entities: [WorkspaceEntity, ApiKeyEntity, AccountEntity, CustomerEntity],
    migrations: [Initial1764100000000],
  });
}
