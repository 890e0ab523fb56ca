/** Account-context's tables live in the Postgres schema "account_context". */
import { openServiceDatabase } from '../shared/database';
import { OutboxEventEntity } from '../shared/outbox';
import { AgentEntity } from './agent/agent.entity';
import { BugEntity } from './bug/bug.entity';
import { AccountEntity } from './customer/account.entity';
import { CustomerEntity } from './customer/customer.entity';
import { Initial1764100000000 } from './migrations/1764100000000-initial';
import { AccountSignalsAndIntegrations1764200000000 } from './migrations/1764200000000-account-signals-and-integrations';
import { KeysAndSecrets1764640000000 } from './migrations/1764640000000-keys-and-secrets';
import { Agents1764720000000 } from './migrations/1764720000000-agents';
import { OutboxPruneIndex1764760400000 } from './migrations/1764760400000-outbox-prune-index';
import { ContextChangeNotifications1764760700000 } from './migrations/1764760700000-context-change-notifications';
import { BugTrackerEventOrder1764760900000 } from './migrations/1764760900000-bug-tracker-event-order';
import { OutboxPositionNotUnique1764761300000 } from './migrations/1764761300000-outbox-position-not-unique';
import { WebhookDeliveryEntity } from './webhook/webhook-delivery.entity';
import { WebhookSecretEntity } from './webhook/webhook-secret.entity';
import { ApiKeyEntity } from './workspace/api-key.entity';
import { WorkspaceEntity } from './workspace/workspace.entity';

const ACCOUNT_CONTEXT_SCHEMA = 'account_context';

export function openAccountContextDatabase(url: string) {
  return openServiceDatabase({
    url,
    schema: ACCOUNT_CONTEXT_SCHEMA,
    entities: [WorkspaceEntity, ApiKeyEntity, AgentEntity, AccountEntity, CustomerEntity, BugEntity, WebhookSecretEntity, WebhookDeliveryEntity, OutboxEventEntity],
    migrations: [Initial1764100000000, AccountSignalsAndIntegrations1764200000000, KeysAndSecrets1764640000000, Agents1764720000000, OutboxPruneIndex1764760400000, ContextChangeNotifications1764760700000, BugTrackerEventOrder1764760900000, OutboxPositionNotUnique1764761300000],
  });
}
