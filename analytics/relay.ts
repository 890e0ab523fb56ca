/**
 * The relay: moves every service's outbox events into the warehouse in batches. A batch is first written down in
 * Postgres (relay-batches.ts), committed. Then it is written to ClickHouse with its id as the insert's
 * deduplication token, and its rows are marked published in one Postgres transaction, so a crash, a timeout or a
 * warehouse outage leaves it unpublished, and it is sent again, whole and in the same order, before any new batch.
 * A resend is harmless even when the first attempt is still running or stopped halfway down the rollup views: each
 * table keeps the token's block once (warehouse migration 011). The marks are the relay's durable cursor.
 *
 * Published rows stay in the outbox for a while (a support engineer can still see what went out, and tests read
 * them), then the relay deletes them, oldest first in small batches, so the outbox does not grow without end.
 */
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { Gauge, Registry } from 'prom-client';
import type { Logger } from '../services/shared/logger';
import { PollingLoop } from '../services/shared/polling-loop';
import { EVENT_INSERT_CHUNK_SIZE, InteractionEvent, insertEvents, stopBatchInserts } from './event-writer';
import { OutboxRow, claimBatch, confirmLease, countBlocks, forgetBatch, lockBatchRows, markRowsPublished, releaseBatch, renameBatch, rollback, takeLeftOverBatch } from './relay-batches';
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
 * next is claimed in Postgres. Order between batches does not matter: every
 * rollup is a sum or an order-free state. Both start at once, even on an idle outbox (one more empty read per pass):
 * sending the first batch alone to see whether there is a backlog cost 10% of the drain rate at 20,000 a batch.
 */
const BATCHES_IN_FLIGHT = 2;
/** How often each outbox is pruned, and how many rows one statement deletes at most. */
const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 10_000;

const str = (value: unknown) => (typeof value === 'string' ? value : value === null || value === undefined ? undefined : String(value));
const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * Payload keys whose string values the event's own columns hold (conversation_id … text): stored once, in the
 * column, not a second time inside `payload`. A question's text, its ids and its context were most of a row's
 * bytes twice over, paid for in serializing, in the warehouse's parsing and on disk. No query reads them from the
 * payload (they read the columns); a value of another type than a string stays in the payload as it came.
 */
const COLUMN_KEYS: ReadonlySet<string> = new Set(['conversationId', 'messageId', 'customerId', 'accountId', 'knowledgeItemId', 'topic', 'page', 'plan', 'channel', 'decision', 'handOffReason', 'text']);

const heldByColumn = (payload: Record<string, unknown>, key: string) => COLUMN_KEYS.has(key) && typeof payload[key] === 'string';

/** The payload without what the columns hold (the same object when there is nothing to leave out). */
export function payloadDetails(payload: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(payload);
  if (!keys.some((key) => heldByColumn(payload, key))) return payload;
  const details: Record<string, unknown> = {};
  for (const key of keys) if (!heldByColumn(payload, key)) details[key] = payload[key];
  return details;
}

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
    payload: payloadDetails(p),
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
    let firstFailure: { reason: unknown } | undefined;
    for (const schema of OUTBOX_SCHEMAS) {
      if (!(await this.hasOutbox(schema))) continue;
      const drained = await Promise.allSettled(Array.from({ length: BATCHES_IN_FLIGHT }, () => this.drain(schema)));
      for (const result of drained) if (result.status === 'fulfilled') moved += result.value;
      // One outbox failing (its left-over batch cannot be sent) does not hold the others back.
      const failed = drained.find((result) => result.status === 'rejected');
      if (failed) {
        firstFailure ??= failed;
        // The lag gauge is what alerts on a stuck outbox: keep it current when Postgres answers.
        await this.measureLag(schema).catch(() => undefined);
        continue;
      }
      await this.measureLag(schema);
      if (Date.now() - (this.prunedAt.get(schema) ?? 0) >= PRUNE_EVERY_MS) {
        await this.prune(schema);
        this.prunedAt.set(schema, Date.now());
      }
    }
    if (firstFailure) throw firstFailure.reason;
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
   * Sends one batch: one written down earlier whose send did not finish, if no other relay holds its lease,
   * otherwise a new claim.
   */
  private async relayBatch(schema: string): Promise<{ events: number; leftOver: boolean }> {
    const client = await this.options.pool.connect();
    // The pool listens for errors only on idle clients. A connection lost while this one is checked out and no
    // query is in flight (the batch is being written to the warehouse) would otherwise be an unhandled 'error'
    // event, which ends the process: the insights service exited whenever Postgres went away under load.
    let lost: Error | undefined;
    const onLost = (error: Error) => (lost ??= error);
    client.on('error', onLost);
    try {
      const leftOver = await takeLeftOverBatch(client, schema);
      if (leftOver) {
        if (leftOver.rows.length === 0) return { events: 0, leftOver: true };
        let batch: string | undefined = leftOver.batch;
        if (leftOver.tokenForgotten) {
          try {
            // No earlier attempt may still run when the batch goes out under a token the warehouse has not seen.
            await stopBatchInserts(this.options.warehouse, batch);
            batch = await renameBatch(client, batch, leftOver.lease);
          } catch (error) {
            await releaseBatch(client, leftOver.batch, leftOver.lease).catch(() => undefined);
            throw error;
          }
          if (!batch) return { events: 0, leftOver: true };
          this.options.logger.warn(
            { source: schema, batch, events: leftOver.rows.length },
            'relay batch left over longer than its token is trusted: sent under a new id; events already stored are dropped, but a rollup whose view failed on the first attempt stays short',
          );
        }
        const sent = await this.send(client, schema, batch, leftOver.lease, leftOver.rows, 'again');
        return { events: sent ? leftOver.rows.length : 0, leftOver: true };
      }
      const batch = randomUUID();
      const lease = randomUUID();
      const rows = await claimBatch(client, schema, batch, lease, this.batchSize);
      const sent = rows.length > 0 && (await this.send(client, schema, batch, lease, rows, 'first'));
      // A claim this relay could not send stays written down: the loop goes on and sends it as a left-over batch.
      return { events: sent ? rows.length : 0, leftOver: rows.length > 0 && !sent };
    } finally {
      client.removeListener('error', onLost);
      // Released with its error, a broken client is closed instead of going back to the pool.
      client.release(lost);
    }
  }

  /**
   * Writes a batch to the warehouse with its id as the deduplication token, then marks its rows published and
   * forgets it, in one transaction; false when it was not this relay's to send any more (lease lost, or token
   * forgotten: the next take renames it). On failure the batch's lease is given up, so the next pass sends it first.
   */
  private async send(client: PoolClient, schema: string, batch: string, lease: string, rows: readonly OutboxRow[], attempt: 'first' | 'again'): Promise<boolean> {
    try {
      await client.query('BEGIN');
      // No warehouse migration runs while this batch is written (warehouse-lock.ts).
      await shareWarehouseWrites(client);
      // Either way the rows are locked before the insert and marked in this transaction, so only a successful insert
      // makes the mark stick. A first attempt marks them at once (the update locks them: one pass over the rows); a
      // batch sent again, whose first attempt failed, only locks them now (see lockBatchRows).
      if (attempt === 'first') await markRowsPublished(client, schema, rows);
      else await lockBatchRows(client, schema, rows);
      // The waits above may have been long: the lease may be gone, or the token no longer trusted.
      const held = await confirmLease(client, batch, lease);
      if (held !== 'held') {
        await client.query('ROLLBACK');
        if (held === 'forgotten') await releaseBatch(client, batch, lease);
        return false;
      }
      await countBlocks(client, rows, EVENT_INSERT_CHUNK_SIZE);
      await insertEvents(this.options.warehouse, rows.map(toInteractionEvent), { batch });
      if (attempt === 'again') await markRowsPublished(client, schema, rows);
      await forgetBatch(client, batch);
      await client.query('COMMIT');
      return true;
    } catch (error) {
      await rollback(client);
      // Best effort: on a lost connection the lease runs out by itself.
      await releaseBatch(client, batch, lease).catch(() => undefined);
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
