/**
 * A relay batch sent again leaves every warehouse table as one clean delivery would: after an insert that failed
 * halfway down the rollup views (interaction_events and some views written, one view refused), and after an insert
 * the relay gave up on while it still ran (a client timeout) and sent again at once. The real relay, a real Postgres
 * outbox, chDB; the faults are a CHECK constraint on one rollup table and a client that stops waiting.
 *
 * "Every table" is every MergeTree table of the warehouse but the migration log, read whole (aggregate states
 * finalized, summing and aggregating tables merged with FINAL, raw tables row by row, so a copy shows), compared
 * with the same tables in a second database that received the same events once, without a fault.
 */
import { InteractionEvent, insertEvents } from '../../analytics/event-writer';
import { migrateWarehouse } from '../../analytics/migrate';
import { OutboxRelay, toInteractionEvent } from '../../analytics/relay';
import { claimBatch, countBlocks, forgetTokens, releaseBatch, takeLeftOverBatch } from '../../analytics/relay-batches';
import type { Warehouse } from '../../analytics/warehouse-client';
import { withWarehouseWritesHeld } from '../../analytics/warehouse-lock';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, PoolClient } from 'pg';
import { createLogger } from '../../services/shared/logger';
import { useRelayFixture, withInsertFault } from '../helpers/outbox-fixture';

const EVENTS = 1_200;
const BATCH = 500;
const relay = useRelayFixture('relay-redelivery', 0);
const otherWorkspace = randomUUID();
jest.setTimeout(120_000);

/** Columns that differ between two deliveries of the same event by design. */
const DELIVERY_COLUMNS = new Set(['ingested_at', 'relay_batch']);

async function rows<T>(warehouse: Warehouse, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await warehouse.client.query({ query, query_params: { database: warehouse.database, ...params }, format: 'JSONEachRow' });
  return result.json<T>();
}

/** Every MergeTree table of `warehouse` but schema_migrations, by name, as sorted rows of text. */
async function contents(warehouse: Warehouse): Promise<Record<string, string[]>> {
  const tables = await rows<{ name: string; engine: string }>(
    warehouse,
    `SELECT name, engine FROM system.tables WHERE database = {database:String} AND engine LIKE '%MergeTree' AND name != 'schema_migrations' ORDER BY name`,
  );
  const all: Record<string, string[]> = {};
  for (const { name, engine } of tables) {
    const columns = await rows<{ name: string; type: string }>(
      warehouse,
      'SELECT name, type FROM system.columns WHERE database = {database:String} AND table = {table:String} ORDER BY position',
      { table: name },
    );
    const values = columns
      .filter((column) => !DELIVERY_COLUMNS.has(column.name))
      .map((column) => (column.type.startsWith('AggregateFunction') ? `toString(finalizeAggregation(${column.name}))` : `toString(${column.name})`));
    // Raw tables (interaction_events, the lifecycle copy) read without FINAL, so a stored copy is a row more.
    const final = /^(Summing|Aggregating)MergeTree$/.test(engine) ? ' FINAL' : '';
    const read = await rows<{ row: string }>(
      warehouse,
      `SELECT arrayStringConcat([${values.join(', ')}], '|') AS row FROM {database:Identifier}.${name}${final} ORDER BY row`,
    );
    all[name] = read.map((r) => r.row);
  }
  return all;
}

const TYPES = ['question_asked', 'answer_shown', 'handed_off', 'agent_replied', 'answer_rated', 'csat_rated', 'resolved', 'answer_corrected', 'knowledge_published', 'knowledge_archived'];

/** Fills the fixture's outbox with `count` events of one workspace, several types, rollup dimensions and items. */
async function fillOutbox(count: number): Promise<void> {
  await relay.outbox.pool.query(
    `INSERT INTO conversation.outbox_events (id, workspace_id, type, occurred_at, payload)
     SELECT gen_random_uuid(), $1, ($3::text[])[1 + n % cardinality($3::text[])],
            timestamptz '2026-11-02 08:00:00+00' + make_interval(secs => n * 97),
            jsonb_build_object(
              'conversationId', 'c' || (n / 5), 'topic', 'topic-' || (n % 7), 'plan', (ARRAY['free', 'pro', ''])[1 + n % 3],
              'page', '/page-' || (n % 4), 'channel', (ARRAY['in_app', 'email'])[1 + n % 2], 'knowledgeItemId', 'item-' || (n % 11),
              'decision', (ARRAY['answered', 'handed_off'])[1 + n % 2], 'handOffReason', (ARRAY['', 'low_confidence'])[1 + n % 2],
              'rating', (n % 3) - 1, 'confidence', (n % 10) / 10.0, 'latencyMs', n % 900, 'text', 'question ' || (n % 13))
       FROM generate_series(1, $2) AS n`,
    [relay.workspaceId, count, TYPES],
  );
}

/** The outbox's events as the relay reads them, delivered once into a fresh database beside the fixture's. */
async function cleanDelivery(name: string): Promise<Warehouse> {
  const clean: Warehouse = { client: relay.warehouse.client, database: name, close: async () => undefined };
  await clean.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${name}` });
  await migrateWarehouse(clean);
  const { rows: outboxRows } = await relay.outbox.pool.query(
    'SELECT id, workspace_id, type, occurred_at, payload, correlation_id FROM conversation.outbox_events WHERE workspace_id = $1 ORDER BY position',
    [relay.workspaceId],
  );
  const events: InteractionEvent[] = outboxRows.map(toInteractionEvent);
  await insertEvents(clean, events);
  return clean;
}

async function resetWarehouse(): Promise<void> {
  for (const { name } of await rows<{ name: string }>(
    relay.warehouse,
    `SELECT name FROM system.tables WHERE database = {database:String} AND engine LIKE '%MergeTree' AND name != 'schema_migrations'`,
  )) {
    await relay.warehouse.client.command({ query: `TRUNCATE TABLE ${relay.warehouse.database}.${name}` });
  }
  await relay.outbox.pool.query('TRUNCATE conversation.outbox_events, insights.relay_batches');
}

beforeEach(resetWarehouse);

it('a batch that failed halfway down the rollup views is sent again whole, and every table ends as one clean delivery', async () => {
  await fillOutbox(EVENTS);
  const table = `${relay.warehouse.database}.hourly_events`;
  const sut = new OutboxRelay({ pool: relay.outbox.pool, warehouse: relay.warehouse, logger: createLogger('test', 'silent'), batchSize: BATCH });

  await relay.warehouse.client.command({ query: `ALTER TABLE ${table} ADD CONSTRAINT injected_fault CHECK 0` });
  try {
    await expect(sut.drainAll()).rejects.toThrow(/injected_fault/);
  } finally {
    await relay.warehouse.client.command({ query: `ALTER TABLE ${table} DROP CONSTRAINT injected_fault` });
  }
  const halfway = await contents(relay.warehouse);
  // The failed inserts are half applied: raw events stored, hourly_events empty (what a resend used to leave for good).
  expect(halfway.interaction_events!.length).toBeGreaterThan(0);
  expect(halfway.hourly_events).toEqual([]);
  // Both batches in flight failed and stay written down, to be sent again whole.
  expect((await relay.outbox.pool.query('SELECT count(*)::int AS n FROM insights.relay_batches')).rows[0].n).toBe(2);

  expect(await sut.drainAll()).toBe(EVENTS);

  const expected = await contents(await cleanDelivery('loopdesk_relay_clean_view'));
  expect(expected.interaction_events).toHaveLength(EVENTS);
  expect(expected.hourly_events!.length).toBeGreaterThan(0);
  expect(await contents(relay.warehouse)).toEqual(expected);
  expect((await relay.outbox.pool.query('SELECT count(*)::int AS n FROM conversation.outbox_events WHERE published_at IS NULL')).rows[0].n).toBe(0);
  expect((await relay.outbox.pool.query('SELECT count(*)::int AS n FROM insights.relay_batches')).rows[0].n).toBe(0);
});

// chDB runs one query at a time, so here the abandoned insert ends before the resend starts and the lookup view alone
// would keep this case single; on a ClickHouse server the two can run at once, both past the lookup, and only the
// token keeps the second out (the first test shows the token at work: its resend's blocks are dropped by it).
it('a batch the client gave up waiting for is sent again whole, and kept once in every table', async () => {
  await fillOutbox(EVENTS);
  const abandoned: Promise<unknown>[] = [];
  let timeouts = 2;
  const impatient = withInsertFault(relay.warehouse, (params, realInsert) => {
    if (timeouts === 0) return realInsert(params);
    timeouts -= 1;
    // The insert goes on in the warehouse; the relay hears a timeout and sends the batch again.
    const running = realInsert(params);
    abandoned.push(running.catch(() => undefined));
    return Promise.reject(new Error('Timeout error (the client stopped waiting)'));
  });
  const sut = new OutboxRelay({ pool: relay.outbox.pool, warehouse: impatient, logger: createLogger('test', 'silent'), batchSize: BATCH });

  await expect(sut.drainAll()).rejects.toThrow(/Timeout error/);
  const resent = await sut.drainAll();
  await Promise.all(abandoned);
  expect(abandoned).toHaveLength(2);
  expect(resent).toBe(EVENTS);

  const expected = await contents(await cleanDelivery('loopdesk_relay_clean_timeout'));
  expect(expected.interaction_events).toHaveLength(EVENTS);
  expect(await contents(relay.warehouse)).toEqual(expected);
});

it('the comparison sees a short rollup: the same failure, then the batch sent again without its token', async () => {
  // Shows the check above can fail: without the token, the lookup view drops the whole resend (its events are
  // stored already), and the rollup whose view failed stays short, which is how the relay behaved before.
  await fillOutbox(BATCH);
  const { rows: outboxRows } = await relay.outbox.pool.query('SELECT id, workspace_id, type, occurred_at, payload, correlation_id FROM conversation.outbox_events ORDER BY position');
  const events = outboxRows.map(toInteractionEvent);
  const table = `${relay.warehouse.database}.hourly_events`;
  await relay.warehouse.client.command({ query: `ALTER TABLE ${table} ADD CONSTRAINT injected_fault CHECK 0` });
  try {
    await expect(insertEvents(relay.warehouse, events)).rejects.toThrow(/injected_fault/);
  } finally {
    await relay.warehouse.client.command({ query: `ALTER TABLE ${table} DROP CONSTRAINT injected_fault` });
  }
  await insertEvents(relay.warehouse, events);
  const expected = await contents(await cleanDelivery('loopdesk_relay_clean_untokened'));
  expect((await contents(relay.warehouse)).hourly_events).not.toEqual(expected.hourly_events);
});

it('two relays draining one outbox at once claim disjoint batches, and every event arrives once', async () => {
  await fillOutbox(EVENTS);
  const otherPod = new Pool({ connectionString: relay.outbox.database.url, max: 2 });
  try {
    const relays = [relay.outbox.pool, otherPod].map(
      (pool) => new OutboxRelay({ pool, warehouse: relay.warehouse, logger: createLogger('test', 'silent'), batchSize: 100 }),
    );
    const moved = await Promise.all(relays.map((sut) => sut.drainAll()));
    // Each relay counts what it sent: a row claimed by both would make the sum exceed the outbox.
    expect(moved[0]! + moved[1]!).toBe(EVENTS);
    expect(moved.every((count) => count > 0)).toBe(true);
  } finally {
    await otherPod.end();
  }
  const expected = await contents(await cleanDelivery('loopdesk_relay_clean_two_relays'));
  expect(await contents(relay.warehouse)).toEqual(expected);
});

it('claims of one outbox wait for each other: a claim made while another is being written down takes other rows', async () => {
  await fillOutbox(300);
  const otherPod = new Pool({ connectionString: relay.outbox.database.url, max: 1 });
  const [first, second] = [await relay.outbox.pool.connect(), await otherPod.connect()];
  let secondRead!: () => void;
  const secondHasRead = new Promise<void>((resolve) => (secondRead = resolve));
  /** `client`, with `before` awaited ahead of each statement matching `pattern` and `after` called once it returned. */
  const intercepted = (client: PoolClient, pattern: RegExp, hooks: { before?: () => Promise<unknown>; after?: () => void }) =>
    new Proxy(client, {
      get(target, property) {
        if (property !== 'query') return Reflect.get(target, property, target) as unknown;
        return async (sql: string, params?: unknown[]) => {
          if (pattern.test(sql)) await hooks.before?.();
          const result = await target.query(sql, params);
          if (pattern.test(sql)) hooks.after?.();
          return result;
        };
      },
    });
  try {
    // The first claim has read its rows and waits (up to a second) before writing its batch down: a second claim
    // that did not wait for it would read the same rows meanwhile.
    const slowFirst = intercepted(first, /INSERT INTO insights\.relay_batches/, { before: () => Promise.race([secondHasRead, sleep(1_000)]) });
    const watchedSecond = intercepted(second, /FROM conversation\.outbox_events/, { after: secondRead });
    const claims = await Promise.all([
      claimBatch(slowFirst, 'conversation', randomUUID(), randomUUID(), 200),
      sleep(100).then(() => claimBatch(watchedSecond, 'conversation', randomUUID(), randomUUID(), 200)),
    ]);
    const [a, b] = claims.map((rows) => new Set(rows.map((row) => row.id)));
    expect([a!.size, b!.size]).toEqual([200, 100]);
    expect([...a!].filter((id) => b!.has(id))).toEqual([]);
  } finally {
    first.release();
    second.release();
    await otherPod.end();
  }
});

const AGEING = {
  // Other relay inserts since its first attempt wrote more blocks than the token is trusted for.
  blocks: `SELECT setval('insights.relay_blocks', (SELECT last_value FROM insights.relay_blocks) + 5001)`,
  // Or it was claimed longer ago than that (a replicated table forgets blocks by time too).
  time: `UPDATE insights.relay_batches SET claimed_at = now() - interval '31 minutes'`,
};

it.each(Object.keys(AGEING) as (keyof typeof AGEING)[])('a batch left over past its token\'s trust (%s) is sent under a new id, and the look-up keeps it single', async (ageing) => {
  await fillOutbox(BATCH);
  // The first attempt reaches the warehouse whole, but the relay hears a failure and the batch stays written down.
  let failOnce = true;
  const unlucky = withInsertFault(relay.warehouse, async (params, realInsert) => {
    const result = await realInsert(params);
    if (!failOnce) return result;
    failOnce = false;
    throw new Error('Timeout error (the reply was lost)');
  });
  const logged: unknown[] = [];
  const logger = createLogger('test', 'silent');
  const sut = new OutboxRelay({ pool: relay.outbox.pool, warehouse: unlucky, logger: Object.assign(Object.create(logger) as typeof logger, { warn: (...args: unknown[]) => logged.push(args) }), batchSize: BATCH });
  await expect(sut.drainAll()).rejects.toThrow(/reply was lost/);

  // Time passes, and the warehouse's tables forget the batch's blocks (their window shrunk to one block here, then
  // other inserts, stands in for 10,000 blocks of traffic).
  await relay.outbox.pool.query(AGEING[ageing]);
  const windowed = await rows<{ name: string }>(relay.warehouse, `SELECT name FROM system.tables WHERE database = {database:String} AND engine_full LIKE '%non_replicated_deduplication_window%'`);
  const setWindow = async (blocks: number) => {
    for (const { name } of windowed) {
      await relay.warehouse.client.command({ query: `ALTER TABLE ${relay.warehouse.database}.${name} MODIFY SETTING non_replicated_deduplication_window = ${blocks}` });
    }
  };
  const { rows: outboxRows } = await relay.outbox.pool.query('SELECT id, workspace_id, type, occurred_at, payload, correlation_id FROM conversation.outbox_events ORDER BY position');
  const others = outboxRows.map(toInteractionEvent).map((event) => ({ ...event, eventId: randomUUID(), workspaceId: otherWorkspace }));
  await setWindow(1);
  try {
    await insertEvents(relay.warehouse, others.slice(0, 250), { batch: randomUUID() });
    await insertEvents(relay.warehouse, others.slice(250), { batch: randomUUID() });
    expect(await sut.drainAll()).toBe(BATCH);
  } finally {
    await setWindow(10_000);
  }
  expect(logged).toHaveLength(1);

  const clean = await cleanDelivery(`loopdesk_relay_clean_renamed_${ageing}`);
  await insertEvents(clean, others);
  expect(await contents(relay.warehouse)).toEqual(await contents(clean));
});

it('waits for rows a relay of the previous release holds, and sends nothing of them meanwhile', async () => {
  await fillOutbox(BATCH);
  // The previous release's relay: rows locked FOR UPDATE SKIP LOCKED while it writes them, no batch written down.
  const oldRelay = await relay.outbox.pool.connect();
  const otherPod = new Pool({ connectionString: relay.outbox.database.url, max: 2 });
  let draining: Promise<number> | undefined;
  try {
    await oldRelay.query('BEGIN');
    const { rows: held } = await oldRelay.query(
      'SELECT id, workspace_id, type, occurred_at, payload, correlation_id FROM conversation.outbox_events WHERE published_at IS NULL ORDER BY position LIMIT 100 FOR UPDATE SKIP LOCKED',
    );
    const sut = new OutboxRelay({ pool: otherPod, warehouse: relay.warehouse, logger: createLogger('test', 'silent'), batchSize: BATCH });
    let done = false;
    draining = sut.drainAll().finally(() => (done = true));
    await sleep(700);
    expect(done).toBe(false);
    expect((await contents(relay.warehouse)).interaction_events).toEqual([]);
    await insertEvents(relay.warehouse, held.map(toInteractionEvent));
    await oldRelay.query('UPDATE conversation.outbox_events SET published_at = now() WHERE id = ANY($1::uuid[])', [held.map((row) => row.id)]);
    await oldRelay.query('COMMIT');
    expect(await draining).toBe(BATCH);
  } finally {
    // After a failed expectation the old relay's transaction is still open and the relay waits on it: end both.
    await oldRelay.query('ROLLBACK');
    oldRelay.release();
    await draining?.catch(() => undefined);
    await otherPod.end();
  }
  const expected = await contents(await cleanDelivery('loopdesk_relay_clean_previous_release'));
  expect(await contents(relay.warehouse)).toEqual(expected);
});

it('a relay that lost its lease to another does not give up the other one\'s lease when its own send fails', async () => {
  await fillOutbox(10);
  const [first, second] = [await relay.outbox.pool.connect(), await relay.outbox.pool.connect()];
  try {
    const batch = randomUUID();
    const firstLease = randomUUID();
    expect(await claimBatch(first, 'conversation', batch, firstLease, 100)).toHaveLength(10);
    // The first relay's send outlasts its lease; the second takes the batch over.
    await second.query(`UPDATE insights.relay_batches SET leased_until = now() - interval '1 second'`);
    const taken = await takeLeftOverBatch(second, 'conversation');
    expect(taken).toMatchObject({ batch, tokenForgotten: false });
    expect(taken!.rows).toHaveLength(10);
    const leasedUntil = async () => (await second.query(`SELECT leased_until > now() AS leased FROM insights.relay_batches WHERE id = $1`, [batch])).rows[0].leased as boolean;

    await releaseBatch(first, batch, firstLease);
    expect(await leasedUntil()).toBe(true);
    expect(await takeLeftOverBatch(first, 'conversation')).toBeUndefined();
    await releaseBatch(second, batch, taken!.lease);
    expect(await leasedUntil()).toBe(false);
  } finally {
    first.release();
    second.release();
  }
});

it('counts a block per conversation start month for conversation_times, and forgets every token after a migration', async () => {
  const clock = async () => Number((await relay.outbox.pool.query(`SELECT last_value FROM insights.relay_blocks`)).rows[0].last_value);
  const client = await relay.outbox.pool.connect();
  try {
    // One month of events (4 blocks a view table could take) from conversations started over 13 months.
    const rows = Array.from({ length: 26 }, (_, i) => ({
      id: randomUUID(), workspace_id: relay.workspaceId, type: 'resolved', correlation_id: '',
      occurred_at: new Date(Date.UTC(2026, 10, 2, 0, i)),
      payload: { conversationStartedAt: new Date(Date.UTC(2025, 10 + (i % 13), 1)).toISOString() },
    }));
    const before = await clock();
    await countBlocks(client, rows, 50_000);
    expect((await clock()) - before).toBe(14);

    await fillOutbox(10);
    expect(await claimBatch(client, 'conversation', randomUUID(), randomUUID(), 100)).toHaveLength(10);
    await client.query(`UPDATE insights.relay_batches SET leased_until = now() - interval '1 second'`);
    await forgetTokens(relay.outbox.pool);
    expect(await takeLeftOverBatch(client, 'conversation')).toMatchObject({ tokenForgotten: true });
  } finally {
    client.release();
  }
});

it('checks the token again after waiting for a migration, and sends a batch whose token stopped being trusted meanwhile under a new id', async () => {
  await fillOutbox(BATCH);
  const otherPod = new Pool({ connectionString: relay.outbox.database.url, max: 2 });
  const logged: unknown[] = [];
  const logger = createLogger('test', 'silent');
  const sut = new OutboxRelay({ pool: relay.outbox.pool, warehouse: relay.warehouse, logger: Object.assign(Object.create(logger) as typeof logger, { warn: (...args: unknown[]) => logged.push(args) }), batchSize: BATCH });
  let draining: Promise<number> | undefined;
  try {
    // Another pod migrates: the relay claims its batch, then waits for the warehouse lock; the migration forgets
    // every token before it lets go.
    let migrating!: () => void;
    const held = new Promise<void>((resolve) => (migrating = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const migration = withWarehouseWritesHeld(otherPod, async () => {
      migrating();
      await finished;
      await forgetTokens(otherPod);
    });
    await held;
    draining = sut.drainAll();
    const claimed = async () => Number((await otherPod.query('SELECT count(*) AS n FROM insights.relay_batches')).rows[0].n);
    for (let waited = 0; (await claimed()) === 0 && waited < 5_000; waited += 50) await sleep(50);
    expect(await claimed()).toBe(1);
    finish();
    await migration;
    expect(await draining).toBe(BATCH);
  } finally {
    await draining?.catch(() => undefined);
    await otherPod.end();
  }
  expect(logged).toHaveLength(1);
  expect(await contents(relay.warehouse)).toEqual(await contents(await cleanDelivery('loopdesk_relay_clean_after_migration')));
});
