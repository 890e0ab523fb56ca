/**
 * The relay: moves every service's outbox events into the warehouse in batches. Each batch is locked
 * (FOR UPDATE SKIP LOCKED), written to ClickHouse, then marked published in the same Postgres transaction,
 * so a crash or a warehouse outage leaves the events unpublished and they are sent again later. A resend
 * is harmless: interaction_events dedups on event_id. The marks are the relay's durable cursor.
 *
 * Published rows stay in the outbox for a while (a support engineer can still see what went out, and tests read
 * them), then the relay deletes them, oldest first in small batches, so the outbox does not grow without end.
 */
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
 * next is read and locked in Postgres (FOR UPDATE SKIP LOCKED hands each its own rows, so no event is in two
 * inserts at once, which the warehouse's dedup view relies on). Order between batches does not matter: every
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

  /** Relays batch after batch of one outbox until a batch comes back short; returns how many events were moved. */
  private async drain(schema: string): Promise<number> {
    let moved = 0;
    for (;;) {
      const count = await this.relayBatch(schema);
      moved += count;
      if (count < this.batchSize) return moved;
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

  private async relayBatch(schema: string): Promise<number> {
    const client = await this.options.pool.connect();
    // The pool listens for errors only on idle clients. A connection lost while this one is checked out and no
    // query is in flight (the batch is being written to the warehouse) would otherwise be an unhandled 'error'
    // event, which ends the process: the insights service exited whenever Postgres went away under load.
    let lost: Error | undefined;
    const onLost = (error: Error) => (lost ??= error);
    client.on('error', onLost);
    try {
      await client.query('BEGIN');
      // No warehouse migration runs while this batch is written (warehouse-lock.ts).
      await shareWarehouseWrites(client);
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, workspace_id, type, occurred_at, payload, correlation_id
           FROM ${schema}.outbox_events
          WHERE published_at IS NULL
          ORDER BY position
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (rows.length > 0) {
        await insertEvents(this.options.warehouse, rows.map(toInteractionEvent));
        await client.query(`UPDATE ${schema}.outbox_events SET published_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await rollback(client);
      throw error;
    } finally {
      client.removeListener('error', onLost);
      // Released with its error, a broken client is closed instead of going back to the pool.
      client.release(lost);
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

async function rollback(client: PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch {
    // The connection is gone; Postgres rolls the transaction back itself.
  }
}
