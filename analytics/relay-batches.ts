/**
 * Relay batches: which outbox rows travel together to the warehouse, under one id that is also the insert's
 * deduplication token (warehouse migration 011). A batch is written down in Postgres (insights.relay_batches,
 * owned by the insights process, which runs the relay) and committed before its insert is tried; it is removed in
 * the transaction that marks its rows published. So a batch whose insert failed, timed out or died with its process
 * is still written down, and is sent again with the same rows, in the same order, under the same token.
 *
 * A relay sending a batch holds a lease on it (a time and a backend in the row, not a lock held by a connection: a
 * connection pooler between the relay and Postgres, or a half-open connection, keeps a batch from being sent for a
 * minute at most). A send that outlasts
 * its lease may be repeated by another relay; the token keeps that single. Claims of one outbox are serialized (a
 * transaction advisory lock), so a new claim sees every batch written down before it and never takes their rows.
 */
import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

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

/**
 * How long a relay may send a batch before another may take it over: well past a warehouse insert's timeout. The
 * lease also ends when the Postgres connection that took it is gone (a relay that crashed or lost its connection),
 * so such a batch is sent again at the next pass, not a minute later.
 */
const SEND_LEASE_MS = 60_000;

/**
 * How far a batch's token is trusted. Each warehouse table remembers its last 10,000 insert blocks (migration 011),
 * and a relay insert writes up to MAX_VIEWS_PER_TABLE blocks per partition into one table. Every send counts the
 * blocks it may write on a clock in Postgres (insights.relay_blocks, shared by every relay); a batch left over
 * after half a window's blocks, or after TOKEN_TRUST_MS (a replicated table also forgets by time), is sent under a
 * fresh id instead, so the ingest view's look-up alone decides: an event already stored is dropped, never stored or
 * counted twice, though a rollup whose view failed on the first attempt then stays short (the relay logs it).
 */
const TRUSTED_BLOCKS = 5_000;
const TOKEN_TRUST_MS = 30 * 60_000;

/** The most materialized views writing one warehouse table (hourly_support_events has four; a test keeps this true). */
export const MAX_VIEWS_PER_TABLE = 4;

/** SQL for insights' migration (and for relay tests' throwaway databases): the table of batches not yet published. */
export function relayBatchesTableSql(): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS insights.relay_batches (
       id uuid PRIMARY KEY,
       source text NOT NULL,
       event_ids uuid[] NOT NULL CHECK (array_position(event_ids, NULL) IS NULL),
       claimed_at timestamptz NOT NULL DEFAULT now(),
       first_block bigint NOT NULL,
       leased_until timestamptz NOT NULL,
       leased_by integer NOT NULL,
       lease uuid NOT NULL
     )`,
    `CREATE INDEX IF NOT EXISTS relay_batches_source ON insights.relay_batches (source, claimed_at)`,
    `CREATE SEQUENCE IF NOT EXISTS insights.relay_blocks`,
  ];
}

/** Advisory-lock class of the claims of one outbox (two-int form, keyed by hashtext of its schema; 'LDRC'). */
const CLAIM_LOCK = 1279545923;

export interface LeftOverBatch {
  batch: string;
  /** This relay's lease on it. */
  lease: string;
  /** Its rows in send order; empty when they are gone (the batch is then forgotten). */
  rows: OutboxRow[];
  /** The warehouse may have forgotten its token (TRUSTED_BLOCKS, TOKEN_TRUST_MS): send it under a new id. */
  tokenForgotten: boolean;
}

const CLOCK = `(SELECT last_value FROM insights.relay_blocks)`;

/** Whether a batch row's token is past trust; binds TOKEN_TRUST_MS and TRUSTED_BLOCKS as $`first` and the next. */
const tokenForgottenSql = (first: number) =>
  `claimed_at < now() - make_interval(secs => $${first}::float8 / 1000) OR ${CLOCK} - first_block > $${first + 1}`;

/** Leases the oldest batch written down earlier, not yet published and not leased by another relay, if any. */
export async function takeLeftOverBatch(client: PoolClient, schema: string): Promise<LeftOverBatch | undefined> {
  const lease = randomUUID();
  const { rows: taken } = await client.query<{ id: string; event_ids: string[]; forgotten: boolean }>(
    `UPDATE insights.relay_batches b
        SET leased_until = now() + make_interval(secs => $2::float8 / 1000), leased_by = pg_backend_pid(), lease = $3
      WHERE b.id = (SELECT id FROM insights.relay_batches
                     WHERE source = $1
                       AND (leased_until < now() OR leased_by NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL))
                     ORDER BY claimed_at
                     LIMIT 1
                     FOR UPDATE SKIP LOCKED)
      RETURNING b.id, b.event_ids, ${tokenForgottenSql(4)} AS forgotten`,
    [schema, SEND_LEASE_MS, lease, TOKEN_TRUST_MS, TRUSTED_BLOCKS],
  );
  const batch = taken[0];
  if (!batch) return undefined;
  const { rows } = await client.query<OutboxRow>(
    `SELECT ${OUTBOX_COLUMNS} FROM ${schema}.outbox_events WHERE id = ANY($1::uuid[]) ORDER BY position`,
    [batch.event_ids],
  );
  if (rows.length === 0) await client.query(`DELETE FROM insights.relay_batches WHERE id = $1 AND lease = $2`, [batch.id, lease]);
  return { batch: batch.id, lease, rows, tokenForgotten: batch.forgotten };
}

/**
 * Gives a left-over batch a fresh id (its next token), counted from now; call it only once no earlier attempt can
 * still be running. Returns the new id, or undefined when this relay no longer holds the lease.
 */
export async function renameBatch(client: PoolClient, batch: string, lease: string): Promise<string | undefined> {
  const { rows } = await client.query<{ id: string }>(
    `UPDATE insights.relay_batches SET id = $3, claimed_at = now(), first_block = ${CLOCK}
      WHERE id = $1 AND lease = $2
      RETURNING id`,
    [batch, lease, randomUUID()],
  );
  return rows[0]?.id;
}

/**
 * Before a send: moves the block clock on by the most blocks this insert may write into one table. Per chunk, the
 * tables partitioned by event time get a block per month per view; conversation_times is partitioned by the
 * conversation's start (the payload's conversationStartedAt), one block per start month, one more for a start
 * ClickHouse cannot parse (stored as 1970).
 */
export async function countBlocks(client: PoolClient, rows: readonly OutboxRow[], chunkSize: number): Promise<void> {
  const month = (value: unknown) => {
    const at = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
    return at && !Number.isNaN(at.getTime()) ? at.toISOString().slice(0, 7) : 'unparsed';
  };
  let blocks = 0;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const months = new Set(chunk.map((row) => month(row.occurred_at)));
    const starts = new Set(chunk.filter((row) => 'conversationStartedAt' in row.payload).map((row) => month(row.payload.conversationStartedAt)));
    blocks += Math.max(MAX_VIEWS_PER_TABLE * months.size, starts.size + 1);
  }
  await client.query(`SELECT max(nextval('insights.relay_blocks')) FROM generate_series(1, $1)`, [blocks]);
}

/**
 * Moves the block clock on past every token's trust: after something other than the relay wrote to the warehouse's
 * tables (a migration's backfill), no left-over batch may rely on its token.
 */
export async function forgetTokens(client: PoolClient | Pool): Promise<void> {
  await client.query(`SELECT setval('insights.relay_blocks', (SELECT last_value FROM insights.relay_blocks) + $1)`, [TRUSTED_BLOCKS + 1]);
}

/**
 * Inside the send's transaction, once it holds the warehouse lock and the rows: confirms this relay still holds
 * the lease, records the backend that sends (behind a transaction pooler it may differ from the one that took the
 * lease), and holds the batch's row so no other relay takes it over while this transaction lasts. Returns 'lost'
 * when another relay holds the lease, 'forgotten' when the token stopped being trusted while this relay waited.
 */
export async function confirmLease(client: PoolClient, batch: string, lease: string): Promise<'held' | 'lost' | 'forgotten'> {
  const { rows } = await client.query<{ forgotten: boolean }>(
    `UPDATE insights.relay_batches SET leased_by = pg_backend_pid()
      WHERE id = $1 AND lease = $2
      RETURNING ${tokenForgottenSql(3)} AS forgotten`,
    [batch, lease, TOKEN_TRUST_MS, TRUSTED_BLOCKS],
  );
  if (rows.length === 0) return 'lost';
  return rows[0]!.forgotten ? 'forgotten' : 'held';
}

/**
 * Writes down batch `batch`, leased to this relay: up to `limit` unpublished rows of the outbox in `schema` that no
 * other batch holds, oldest first, committed before this returns. Returns the rows, in the order every send of the
 * batch uses.
 */
export async function claimBatch(client: PoolClient, schema: string, batch: string, lease: string, limit: number): Promise<OutboxRow[]> {
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
      await client.query(
        `INSERT INTO insights.relay_batches (id, source, event_ids, first_block, leased_until, leased_by, lease)
         VALUES ($1, $2, $3::uuid[], ${CLOCK}, now() + make_interval(secs => $4::float8 / 1000), pg_backend_pid(), $5)`,
        [batch, schema, rows.map((row) => row.id), SEND_LEASE_MS, lease],
      );
    }
    await client.query('COMMIT');
    return rows;
  } catch (error) {
    await rollback(client);
    throw error;
  }
}

/**
 * Inside the transaction that sends a batch: marks its rows published, before the insert on a first attempt (the
 * update locks them, so a relay of an earlier release, FOR UPDATE SKIP LOCKED and no batches, leaves them alone and
 * one that holds some is waited for; locking first and updating after the insert went over every row twice), after
 * it on a batch sent again. Nobody sees the mark before the insert has succeeded and the transaction commits.
 */
export async function markRowsPublished(client: PoolClient, schema: string, rows: readonly OutboxRow[]): Promise<void> {
  await client.query(`UPDATE ${schema}.outbox_events SET published_at = now() WHERE id = ANY($1::uuid[]) AND published_at IS NULL`, [rows.map((row) => row.id)]);
}

/**
 * Inside the transaction that sends a batch again, before the insert: locks its rows (they are marked published
 * after the insert). A batch sent again may fail again (the warehouse may still be down): a lock leaves nothing
 * behind on rollback, where an update rolled back leaves a dead version of every row, each time.
 */
export async function lockBatchRows(client: PoolClient, schema: string, rows: readonly OutboxRow[]): Promise<void> {
  await client.query(`SELECT 1 FROM ${schema}.outbox_events WHERE id = ANY($1::uuid[]) ORDER BY position FOR UPDATE`, [rows.map((row) => row.id)]);
}

/** Inside the transaction that sent it, after the insert: forgets the batch. */
export async function forgetBatch(client: PoolClient, batch: string): Promise<void> {
  await client.query(`DELETE FROM insights.relay_batches WHERE id = $1`, [batch]);
}

/**
 * After a failed send: gives this relay's lease up (not one another relay took meanwhile), so the next pass sends
 * the batch again before any new one.
 */
export async function releaseBatch(client: PoolClient, batch: string, lease: string): Promise<void> {
  await client.query(`UPDATE insights.relay_batches SET leased_until = '-infinity' WHERE id = $1 AND lease = $2`, [batch, lease]);
}

export async function rollback(client: PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch {
    // The connection is gone; Postgres rolls the transaction back itself.
  }
}
