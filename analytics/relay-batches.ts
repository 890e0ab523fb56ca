/**
 * Relay batches: which outbox rows travel together to the warehouse, under one id that is also the insert's
 * deduplication token (warehouse migration 011). A batch is written down in Postgres (insights.relay_batches,
 * owned by the insights process, which runs the relay) and committed before its insert is tried; it is removed in
 * the transaction that marks its rows published. So a batch whose insert failed, timed out or died with its process
 * is still written down, and is sent again with the same rows, in the same order, under the same token.
 *
 * One relay at a time sends a batch: each holds the batch's session advisory lock while it sends, and a relay that
 * dies lets go with its connection. Claims of one outbox are serialized (a transaction advisory lock), so a new
 * claim sees every batch written down before it and never takes their rows.
 */
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';

/** The outbox columns the relay sends. */
export interface OutboxRow {
  id: string;
  workspace_id: string;
  type: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
  correlation_id: string;
}

const OUTBOX_COLUMNS = 'id, workspace_id, type, occurred_at, payload, correlation_id';

/** SQL for insights' migration (and for relay tests' throwaway databases): the table of batches not yet published. */
export function relayBatchesTableSql(): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS insights.relay_batches (
       id uuid PRIMARY KEY,
       source text NOT NULL,
       event_ids uuid[] NOT NULL,
       claimed_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX IF NOT EXISTS relay_batches_source ON insights.relay_batches (source, claimed_at)`,
  ];
}

/**
 * Advisory-lock classes (two-int form; the first int): a batch being sent, keyed by hashtext of its id ('LDRB'),
 * and the claims of one outbox, keyed by hashtext of its schema ('LDRC'). Two ids that hash alike only make one
 * relay skip a left-over batch for a pass, or draw another id.
 */
const SENDING_LOCK = 1279545922;
const CLAIM_LOCK = 1279545923;

/** A batch written down earlier and not yet published that no other relay is sending: locked, with its rows. */
export async function lockLeftOverBatch(client: PoolClient, schema: string): Promise<{ batch: string; rows: OutboxRow[] } | undefined> {
  const { rows: batches } = await client.query<{ id: string }>(
    `SELECT id FROM insights.relay_batches WHERE source = $1 ORDER BY claimed_at LIMIT 16`,
    [schema],
  );
  for (const { id } of batches) {
    if (!(await tryLock(client, id))) continue;
    let rows: OutboxRow[];
    try {
      // Another relay may have published it between the look-up and the lock: then it is gone, and so are its rows.
      ({ rows } = await client.query<OutboxRow>(
        `SELECT ${OUTBOX_COLUMNS} FROM ${schema}.outbox_events
          WHERE id = ANY((SELECT event_ids FROM insights.relay_batches WHERE id = $1)::uuid[])
          ORDER BY position`,
        [id],
      ));
    } catch (error) {
      await unlockBatch(client, id).catch(() => undefined);
      throw error;
    }
    if (rows.length > 0) return { batch: id, rows };
    await unlockBatch(client, id);
  }
  return undefined;
}

/** A fresh batch id, locked before it is written down, so no other relay takes it for a left-over batch meanwhile. */
export async function lockNewBatchId(client: PoolClient): Promise<string> {
  for (;;) {
    const batch = randomUUID();
    if (await tryLock(client, batch)) return batch;
  }
}

export async function unlockBatch(client: PoolClient, batch: string): Promise<void> {
  await client.query(`SELECT pg_advisory_unlock(${SENDING_LOCK}, hashtext($1))`, [batch]);
}

/**
 * Writes down batch `batch`: up to `limit` unpublished rows of the outbox in `schema` that no other batch holds,
 * oldest first, committed before this returns. Returns the rows, in the order every send of the batch uses.
 */
export async function claimBatch(client: PoolClient, schema: string, batch: string, limit: number): Promise<OutboxRow[]> {
  await client.query('BEGIN');
  try {
    // One claim of this outbox at a time: each statement below then sees every batch claimed before it.
    await client.query(`SELECT pg_advisory_xact_lock(${CLAIM_LOCK}, hashtext($1))`, [schema]);
    const { rows } = await client.query<OutboxRow>(
      `SELECT ${OUTBOX_COLUMNS} FROM ${schema}.outbox_events
        WHERE published_at IS NULL
          AND id NOT IN (SELECT unnest(event_ids) FROM insights.relay_batches WHERE source = $1)
        ORDER BY position
        LIMIT $2`,
      [schema, limit],
    );
    if (rows.length > 0) {
      await client.query(`INSERT INTO insights.relay_batches (id, source, event_ids) VALUES ($1, $2, $3::uuid[])`, [batch, schema, rows.map((row) => row.id)]);
    }
    await client.query('COMMIT');
    return rows;
  } catch (error) {
    await rollback(client);
    throw error;
  }
}

/** Inside the transaction that sent it: marks the batch's rows published and forgets the batch. */
export async function markBatchPublished(client: PoolClient, schema: string, batch: string, rows: readonly OutboxRow[]): Promise<void> {
  await client.query(`UPDATE ${schema}.outbox_events SET published_at = now() WHERE id = ANY($1::uuid[]) AND published_at IS NULL`, [rows.map((row) => row.id)]);
  await client.query(`DELETE FROM insights.relay_batches WHERE id = $1`, [batch]);
}

async function tryLock(client: PoolClient, batch: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${SENDING_LOCK}, hashtext($1)) AS ok`, [batch]);
  return rows[0]?.ok === true;
}

export async function rollback(client: PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch {
    // The connection is gone; Postgres rolls the transaction back itself.
  }
}
