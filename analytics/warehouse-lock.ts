/**
 * Migrations and relay inserts never overlap, across every insights process sharing the Postgres the outboxes
 * live in. A migration's backfill reads the raw events once and assumes the table is quiet: a relay insert landing
 * between a new materialized view and its backfill (another pod's relay, during a rolling deploy) was either
 * counted twice (by the view and by the backfill) or made the backfill's guard skip the history.
 *
 * Each relay batch holds the lock shared for its transaction; a migration holds it exclusively, so it waits for the
 * batches in flight and holds new ones back until it is done (migrations by two pods at once run one after the
 * other). An advisory lock, held by Postgres: a process that dies lets go of it.
 */
import type { Pool, PoolClient } from 'pg';

/** The advisory lock's key (one bigint space; 'LDWH' in hex). */
const WAREHOUSE_WRITES_LOCK = '1279547208';

/** Inside a relay batch's transaction: shares the lock until the transaction ends. */
export async function shareWarehouseWrites(client: PoolClient): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock_shared(${WAREHOUSE_WRITES_LOCK})`);
}

/** Runs `migrate` holding the lock alone. */
export async function withWarehouseWritesHeld<T>(pool: Pool, migrate: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${WAREHOUSE_WRITES_LOCK})`);
    try {
      return await migrate();
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${WAREHOUSE_WRITES_LOCK})`);
    }
  } finally {
    client.release();
  }
}
