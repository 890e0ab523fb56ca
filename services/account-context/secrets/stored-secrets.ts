/**
 * The secrets account-context keeps (each workspace's customer-token secret, each integration's webhook
 * secrets) are stored sealed with SecretEnvelope. This module names what each sealed value is bound to, and
 * reseals at start-up: values still in clear (written before sealing existed) are sealed, and values wrapped
 * under an older key-encryption key are re-wrapped under the current one, which is how a rotation completes.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { SecretEnvelope } from '../../shared/secret-envelope';

export const customerTokenSecretPurpose = (workspaceId: string) => `account_context.workspaces.customer_token_secret:${workspaceId}`;

/** Current and previous webhook secrets share a purpose: a rotation moves the sealed value as it is. */
export const webhookSecretPurpose = (workspaceId: string, provider: string) => `account_context.webhook_secrets:${workspaceId}:${provider}`;

export interface ResealCounts {
  customerTokenSecrets: number;
  webhookSecrets: number;
}

// Only rows holding a value not sealed under the current key are read and locked: a restart with nothing to
// do touches no row.
async function resealWorkspaces(tx: EntityManager, envelope: SecretEnvelope): Promise<number> {
  const rows: Array<{ id: string; secret: string }> = await tx.query(
    `SELECT id, customer_token_secret AS secret FROM account_context.workspaces
      WHERE NOT starts_with(customer_token_secret, $1) ORDER BY id FOR UPDATE`,
    [envelope.currentPrefix],
  );
  let changed = 0;
  for (const row of rows) {
    const sealed = envelope.rewrap(row.secret, customerTokenSecretPurpose(row.id));
    await tx.query(`UPDATE account_context.workspaces SET customer_token_secret = $2 WHERE id = $1`, [row.id, sealed]);
    changed += 1;
  }
  return changed;
}

async function resealWebhookSecrets(tx: EntityManager, envelope: SecretEnvelope): Promise<number> {
  const rows: Array<{ id: string; workspace_id: string; provider: string; secret: string; previous_secret: string | null }> = await tx.query(
    `SELECT id, workspace_id, provider, secret, previous_secret FROM account_context.webhook_secrets
      WHERE NOT starts_with(secret, $1) OR NOT starts_with(previous_secret, $1) ORDER BY id FOR UPDATE`,
    [envelope.currentPrefix],
  );
  let changed = 0;
  for (const row of rows) {
    const purpose = webhookSecretPurpose(row.workspace_id, row.provider);
    const secret = envelope.rewrap(row.secret, purpose);
    const previous = row.previous_secret === null ? null : envelope.rewrap(row.previous_secret, purpose);
    await tx.query(`UPDATE account_context.webhook_secrets SET secret = $2, previous_secret = $3 WHERE id = $1`, [row.id, secret, previous]);
    changed += 1;
  }
  return changed;
}

/** One transaction with row locks, so replicas starting together reseal each row once. */
export function resealStoredSecrets(db: DataSource, envelope: SecretEnvelope): Promise<ResealCounts> {
  return db.transaction(async (tx) => ({
    customerTokenSecrets: await resealWorkspaces(tx, envelope),
    webhookSecrets: await resealWebhookSecrets(tx, envelope),
  }));
}
