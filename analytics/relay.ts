/**
 * The relay: moves every service's outbox events into the warehouse in batches. A batch is first claimed: its rows
 * get the batch's id in Postgres, committed. Then it is written to ClickHouse with that id as the insert's
 * deduplication token and marked published in one Postgres transaction, so a crash, a timeout or a warehouse
 * outage leaves it unpublished, and it is sent again, whole and in the same order, before any new batch. A resend
 * is harmless even when the first attempt is still running or stopped halfway down the rollup views: each table
 * keeps the token's block once (warehouse migration 011). The marks are the relay's durable cursor.
 *
 * Published rows stay in the outbox for a while (a support engineer can still see what went out, and tests read
 * them), then the relay deletes them, oldest first in small batches, so the outbox does not grow without end.
 */
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { Gauge, Registry } from 'prom-client';
import type { Logger } from '../services/shared/logger';
import { PollingLoop } from '../services/shared/polling-loop';
import { InteractionEvent, insertEvents } from './event-writer';
import type { Warehouse } from './warehouse-client';
import { shareWarehouseWrites } from './warehouse-lock';

/** Postgres schemas whose outbox the relay drains. */
const OUTBOX_SCHEMAS = ['conversation', 'knowledge', 'account_context'] as const;

export interface RelayOptions {
  pool: Pool;
  warehouse: Warehouse;
  logger: Logger;
  batchSize?: number;
  intervalMs?: number;
  /** How long a published row stays in its outbox; default OUTBOX_RETENTION_MS. */
  retentionMs?: number;
  registry?: Registry;
}

const OUTBOX_RETENTION_MS = 7 * 24 * 3_600_000;
/**
 * Batches of one outbox in flight at once while a backlog drains: while one batch is written to the warehouse, the
 * next is claimed in Postgres (FOR UPDATE SKIP LOCKED hands each its own rows). Order between batches does not matter: every
 * rollup is a sum or an order-free state. Both start at once, even on an idle outbox (one more empty read per pass):
 * sending the first batch alone to see whether there is a backlog cost 10% of the drain rate at 20,000 a batch.
 */
const BATCHES_IN_FLIGHT = 2;
/** How often each outbox is pruned, and how many rows one statement deletes at most. */
const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 10_000;

interface OutboxRow {
  id: string;
  workspace_id: string;
  type: string;
  occurred_at: Date;
  payload: Record<string, unknown>;
  correlation_id: string;
}

const str = (value: unknown) => (typeof value === 'string' ? value : value === null || value === undefined ? undefined : String(value));
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export function toInteractionEvent(row: OutboxRow): InteractionEvent {
  const p = row.payload;
  return {
    eventId: row.id,
    workspaceId: row.workspace_id,
    eventType: row.type,
    occurredAt: row.occurred_at,
    conversationId: str(p.conversationId),
    messageId: str(p.messageId),
    customerId: str(p.customerId),
    accountId: str(p.accountId),
    knowledgeItemId: str(p.knowledgeItemId),
    topic: str(p.topic),
    page: str(p.page),
    plan: str(p.plan),
    channel: str(p.channel),
    decision: str(p.decision),
    handoffReason: str(p.handOffReason),
    confidence: num(p.confidence),
    latencyMs: num(p.latencyMs) === undefined ? undefined : Math.max(0, Math.round(num(p.latencyMs)!)),
    rating: num(p.rating),
    text: str(p.text),
    payload: p,
    correlationId: row.correlation_id,
  };
}

export class OutboxRelay {
  private readonly loop: PollingLoop;
  private readonly lag: Gauge<'source'>;
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly retentionMs: number;
  private readonly prunedAt = new Map<string, number>();

  constructor(private readonly options: RelayOptions) {
    this.batchSize = options.batchSize ?? 20_000;
    this.intervalMs = options.intervalMs ?? 2_000;
    this.retentionMs = options.retentionMs ?? OUTBOX_RETENTION_MS;
    this.loop = new PollingLoop(() => this.drainAll(), {
      intervalMs: this.intervalMs,
      onFailure: (error, failures) => options.logger.warn({ err: error, failures }, 'relay pass failed; events stay in the outbox and are retried'),
    });
    this.lag = new Gauge({
      name: 'loopdesk_relay_lag_seconds',
      help: 'Age of the oldest outbox event not yet in the warehouse, per source schema',
      labelNames: ['source'] as const,
      registers: options.registry ? [options.registry] : [],
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Drains every source until it has nothing unpublished; returns how many events were moved. */
  async drainAll(): Promise<number> {
    let moved = 0;
    for (const schema of OUTBOX_SCHEMAS) {
      if (!(await this.hasOutbox(schema))) continue;
      const drained = await Promise.allSettled(Array.from({ length: BATCHES_IN_FLIGHT }, () => this.drain(schema)));
      for (const result of drained) if (result.status === 'fulfilled') moved += result.value;
      const failed = drained.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      await this.measureLag(schema);
      if (Date.now() - (this.prunedAt.get(schema) ?? 0) >= PRUNE_EVERY_MS) {
        await this.prune(schema);
        this.prunedAt.set(schema, Date.now());
      }
    }
    return moved;
  }

  /**
   * Relays batch after batch of one outbox, batches left over from a failed attempt first, until a new batch comes
   * back short; returns how many events were moved.
   */
  private async drain(schema: string): Promise<number> {
    let moved = 0;
    for (;;) {
      const sent = await this.relayBatch(schema);
      moved += sent.events;
      if (!sent.leftOver && sent.events < this.batchSize) return moved;
    }
  }

  /**
   * Deletes rows published longer ago than the retention, oldest publication first (the outbox_events_published
   * index); returns how many. Unpublished rows are never touched.
   */
  async prune(schema: (typeof OUTBOX_SCHEMAS)[number]): Promise<number> {
    let deleted = 0;
    for (;;) {
      const { rowCount } = await this.options.pool.query(
        `DELETE FROM ${schema}.outbox_events
          WHERE id IN (SELECT id FROM ${schema}.outbox_events
                        WHERE published_at < now() - make_interval(secs => $1::float8 / 1000)
                        ORDER BY published_at
                        LIMIT $2)`,
        [this.retentionMs, PRUNE_BATCH],
      );
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < PRUNE_BATCH) return deleted;
    }
  }

  /**
   * Sends one batch: one claimed earlier whose insert did not finish, if no other relay holds it, otherwise a new
   * claim. Holds the batch's session lock (one sender at a time; a sender that dies lets go with its connection).
   */
  private async relayBatch(schema: string): Promise<{ events: number; leftOver: boolean }> {
    const client = await this.options.pool.connect();
    // The pool listens for errors only on idle clients. A connection lost while this one is checked out and no
    // query is in flight (the batch is being written to the warehouse) would otherwise be an unhandled 'error'
    // event, which ends the process: the insights service exited whenever Postgres went away under load.
    let lost: Error | undefined;
    const onLost = (error: Error) => (lost ??= error);
    client.on('error', onLost);
    let held: string | undefined;
    try {
      held = await lockLeftOverBatch(client, schema);
      if (held) return { events: await this.send(client, schema, held, undefined), leftOver: true };
      held = await lockNewBatchId(client);
      const claimed = await claimBatch(client, schema, held, this.batchSize);
      if (claimed.length === 0) return { events: 0, leftOver: false };
      return { events: await this.send(client, schema, held, claimed), leftOver: false };
    } finally {
      if (held) {
        try {
          await client.query(`SELECT pg_advisory_unlock(${RELAY_BATCH_LOCK}, hashtext($1))`, [held]);
        } catch (error) {
          // Released with an error, the connection is closed, and Postgres lets go of its session locks.
          lost ??= error as Error;
        }
      }
      client.removeListener('error', onLost);
      // Released with its error, a broken client is closed instead of going back to the pool.
      client.release(lost);
    }
  }

  /**
   * Writes batch `batch` to the warehouse with its id as the deduplication token, then marks its rows published,
   * in one transaction. `claimed` are its rows when this relay just claimed them; otherwise they are read again, in
   * the same order, so a resend forms the same blocks. Returns how many rows it published.
   */
  private async send(client: PoolClient, schema: string, batch: string, claimed: OutboxRow[] | undefined): Promise<number> {
    try {
      await client.query('BEGIN');
      // No warehouse migration runs while this batch is written (warehouse-lock.ts).
      await shareWarehouseWrites(client);
      const rows =
        claimed ??
        (
          await client.query<OutboxRow>(
            `SELECT ${OUTBOX_COLUMNS} FROM ${schema}.outbox_events
              WHERE relay_batch = $1 AND published_at IS NULL
              ORDER BY position`,
            [batch],
          )
        ).rows;
      if (rows.length > 0) {
        await insertEvents(this.options.warehouse, rows.map(toInteractionEvent), { batch });
        await client.query(`UPDATE ${schema}.outbox_events SET published_at = now() WHERE relay_batch = $1 AND published_at IS NULL`, [batch]);
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await rollback(client);
      throw error;
    }
  }

  private async hasOutbox(schema: string): Promise<boolean> {
    const { rows } = await this.options.pool.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [`${schema}.outbox_events`]);
    return rows[0]?.present === true;
  }

  private async measureLag(schema: string): Promise<void> {
    const { rows } = await this.options.pool.query<{ lag: number | null }>(
      `SELECT extract(epoch FROM now() - min(occurred_at))::float8 AS lag FROM ${schema}.outbox_events WHERE published_at IS NULL`,
    );
    this.lag.set({ source: schema }, rows[0]?.lag ?? 0);
  }
}

const OUTBOX_COLUMNS = 'id, workspace_id, type, occurred_at, payload, correlation_id';

/**
 * Advisory-lock class of relay batches (session locks keyed by hashtext of the batch id; 'LDRB'). Two ids that
 * hash alike only make one relay skip a left-over batch for a pass, or draw another id.
 */
const RELAY_BATCH_LOCK = 1279545922;

/** Locks a batch claimed earlier and not yet published that no other relay is sending; returns its id, if any. */
async function lockLeftOverBatch(client: PoolClient, schema: string): Promise<string | undefined> {
  const { rows } = await client.query<{ batch: string }>(
    `SELECT DISTINCT relay_batch AS batch FROM ${schema}.outbox_events
      WHERE published_at IS NULL AND relay_batch IS NOT NULL
      LIMIT 16`,
  );
  for (const { batch } of rows) {
    const locked = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${RELAY_BATCH_LOCK}, hashtext($1)) AS ok`, [batch]);
    if (!locked.rows[0]?.ok) continue;
    // Another relay may have published it between the look-up and the lock.
    const open = await client.query(`SELECT 1 FROM ${schema}.outbox_events WHERE relay_batch = $1 AND published_at IS NULL LIMIT 1`, [batch]);
    if (open.rowCount) return batch;
    await client.query(`SELECT pg_advisory_unlock(${RELAY_BATCH_LOCK}, hashtext($1))`, [batch]);
  }
  return undefined;
}

/** A fresh batch id, its session lock taken before any row carries it, so no other relay sends it meanwhile. */
async function lockNewBatchId(client: PoolClient): Promise<string> {
  for (;;) {
    const batch = randomUUID();
    const locked = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${RELAY_BATCH_LOCK}, hashtext($1)) AS ok`, [batch]);
    if (locked.rows[0]?.ok) return batch;
  }
}

/**
 * Claims up to `limit` unclaimed, unpublished rows, oldest first, into `batch`, committed at once (no transaction
 * around it): the membership must outlive a failed send, so the resend carries the same rows under the same token.
 */
async function claimBatch(client: PoolClient, schema: string, batch: string, limit: number): Promise<OutboxRow[]> {
  const { rows } = await client.query<OutboxRow & { position: string }>(
    `WITH picked AS (
       SELECT id FROM ${schema}.outbox_events
        WHERE published_at IS NULL AND relay_batch IS NULL
        ORDER BY position
        LIMIT $2
        FOR UPDATE SKIP LOCKED)
     UPDATE ${schema}.outbox_events o SET relay_batch = $1
       FROM picked WHERE o.id = picked.id
     RETURNING o.id, o.workspace_id, o.type, o.occurred_at, o.payload, o.correlation_id, o.position`,
    [batch, limit],
  );
  // RETURNING has no order; a resend reads the batch ORDER BY position, and the first send must match it.
  return rows.sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
}

async function rollback(client: PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch {
    // The connection is gone; Postgres rolls the transaction back itself.
  }
}
