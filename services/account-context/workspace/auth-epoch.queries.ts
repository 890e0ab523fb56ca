/**
 * The revocation epoch: one counter, bumped in the transaction of every change that can make a gateway's
 * cached verdict wrong (a key revoked, a role's reach changed). Gateways poll it; see gateway/authenticator.ts.
 */
import type { DataSource, EntityManager } from 'typeorm';

export async function bumpAuthEpoch(tx: EntityManager): Promise<void> {
  await tx.query(`UPDATE account_context.auth_epoch SET value = value + 1`);
}

export async function readAuthEpoch(db: DataSource): Promise<string> {
  const rows: Array<{ value: string }> = await db.query(`SELECT value::text AS value FROM account_context.auth_epoch`);
  if (!rows[0]) throw new Error('account_context.auth_epoch has no row; the migrations did not run');
  return rows[0].value;
}
