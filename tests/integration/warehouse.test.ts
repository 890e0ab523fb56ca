/**
 * The warehouse on chDB: migrations, idempotent event inserts and the daily topic aggregate.
 * chDB binds one data directory per process, so this file opens one temporary directory for its
 * whole run and every test works in its own workspace inside it.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { insertEvents, toEventRow, type InteractionEvent, type InteractionEventRow } from '../../analytics/event-writer';
import { loadMigrations, migrateWarehouse } from '../../analytics/migrate';
import { MAX_VIEWS_PER_TABLE } from '../../analytics/relay-batches';
import { createWarehouse, type Warehouse } from '../../analytics/warehouse-client';
import { REPO_ROOT } from '../helpers/repo-root';

const dataPath = mkdtempSync(path.join(tmpdir(), 'loopdesk-warehouse-'));
const config = parseConfig(warehouseEnv, { WAREHOUSE_PATH: dataPath, CLICKHOUSE_DATABASE: 'loopdesk_test' });
let warehouse: Warehouse;
let firstRun: string[];

beforeAll(async () => {
  warehouse = await createWarehouse(config);
  firstRun = await migrateWarehouse(warehouse);
});

afterAll(async () => {
  await warehouse?.close();
  rmSync(dataPath, { recursive: true, force: true });
});

async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await warehouse.client.query({
    query,
    query_params: { database: warehouse.database, ...params },
    format: 'JSONEachRow',
  });
  return result.json<T>();
}

function event(workspaceId: string, fields: Partial<InteractionEvent> & Pick<InteractionEvent, 'eventType' | 'occurredAt'>): InteractionEvent {
  return { eventId: randomUUID(), workspaceId, correlationId: randomUUID(), ...fields };
}

describe('warehouse migrations', () => {
  it('apply every file once, in order, and a second run applies nothing', async () => {
    expect(firstRun).toEqual(['001-interaction-events.sql', '002-daily-topic-stats.sql', '003-ingest-dedup-and-rollups.sql', '004-csat-rollup.sql', '005-content-and-gap-rollups.sql', '006-drop-daily-topic-stats.sql', '007-conversation-times.sql', '008-hourly-totals.sql', '009-hourly-support-events.sql', '010-daily-friction-and-item-citations.sql', '011-relay-batch-tokens.sql']);

    const sut = migrateWarehouse;
    await expect(sut(warehouse)).resolves.toEqual([]);

    const recorded = await rows<{ version: number; name: string }>(
      'SELECT version, name FROM {database:Identifier}.schema_migrations FINAL ORDER BY version',
    );
    expect(recorded).toEqual([
      { version: 1, name: '001-interaction-events.sql' },
      { version: 2, name: '002-daily-topic-stats.sql' },
      { version: 3, name: '003-ingest-dedup-and-rollups.sql' },
      { version: 4, name: '004-csat-rollup.sql' },
      { version: 5, name: '005-content-and-gap-rollups.sql' },
      { version: 6, name: '006-drop-daily-topic-stats.sql' },
      { version: 7, name: '007-conversation-times.sql' },
      { version: 8, name: '008-hourly-totals.sql' },
      { version: 9, name: '009-hourly-support-events.sql' },
      { version: 10, name: '010-daily-friction-and-item-citations.sql' },
      { version: 11, name: '011-relay-batch-tokens.sql' },
    ]);
    const tables = await rows<{ name: string }>(
      'SELECT name FROM system.tables WHERE database = {database:String} ORDER BY name',
    );
    expect(tables.map((table) => table.name)).toEqual([
      'conversation_times',
      'conversation_times_mv',
      'daily_citations',
      'daily_citations_mv',
      'daily_friction',
      'daily_friction_mv',
      'hourly_citations',
      'hourly_citations_mv',
      'hourly_contacts',
      'hourly_contacts_mv',
      'hourly_csat',
      'hourly_csat_mv',
      'hourly_event_totals',
      'hourly_event_totals_mv',
      'hourly_events',
      'hourly_events_mv',
      'hourly_gap_questions',
      'hourly_gap_questions_mv',
      'hourly_support_events',
      'hourly_support_events_by_channel_mv',
      'hourly_support_events_by_plan_mv',
      'hourly_support_events_by_topic_mv',
      'hourly_support_events_starts_mv',
      'interaction_events',
      'interaction_events_dedup_mv',
      'interaction_events_ingest',
      'item_citations',
      'item_citations_mv',
      'knowledge_lifecycle_events',
      'knowledge_lifecycle_events_mv',
      'schema_migrations',
    ]);
  });

  it('every table a relay insert writes remembers its recent blocks, so a re-sent batch is kept once (migration 011)', async () => {
    const tables = await rows<{ name: string; engine_full: string }>(
      `SELECT name, engine_full FROM system.tables
        WHERE database = {database:String} AND engine LIKE '%MergeTree' AND name != 'schema_migrations' ORDER BY name`,
    );
    expect(tables.length).toBeGreaterThanOrEqual(13);
    const forgetful = tables.filter((table) => !/non_replicated_deduplication_window = [1-9]/.test(table.engine_full)).map((table) => table.name);
    expect(forgetful).toEqual([]);
  });

  it('no table is written by more views than the relay counts blocks for', async () => {
    const views = await rows<{ create_table_query: string }>(
      `SELECT create_table_query FROM system.tables WHERE database = {database:String} AND engine = 'MaterializedView'`,
    );
    const perTarget = new Map<string, number>();
    for (const { create_table_query } of views) {
      const target = / TO (\S+)/.exec(create_table_query)?.[1];
      expect(target).toBeDefined();
      perTarget.set(target!, (perTarget.get(target!) ?? 0) + 1);
    }
    expect(Math.max(...perTarget.values())).toBe(MAX_VIEWS_PER_TABLE);
  });

  it('a file that fails is not recorded and runs again from the top on the next run', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'loopdesk-migrations-'));
    const runner: Warehouse = { client: warehouse.client, database: 'loopdesk_test_runner', close: async () => undefined };
    await warehouse.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${runner.database}` });
    const table = (name: string) => `CREATE TABLE IF NOT EXISTS {database}.${name} (id UInt8) ENGINE = MergeTree ORDER BY id;`;
    try {
      writeFileSync(path.join(directory, '001-first.sql'), `-- comments may end with a semicolon;\n${table('a')}\n\n${table('b')}\n`);
      writeFileSync(path.join(directory, '002-second.sql'), `${table('c')}\nTHIS IS NOT SQL;\n`);

      const sut = () => migrateWarehouse(runner, undefined, directory);
      await expect(sut()).rejects.toThrow(/Syntax error/);
      writeFileSync(path.join(directory, '002-second.sql'), `${table('c')}\n${table('d')}\n`);
      await expect(sut()).resolves.toEqual(['002-second.sql']);

      const tables = await rows<{ name: string }>(
        'SELECT name FROM system.tables WHERE database = {runner:String} ORDER BY name',
        { runner: runner.database },
      );
      expect(tables.map((t) => t.name)).toEqual(['a', 'b', 'c', 'd', 'schema_migrations']);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('backfill the rollups from events stored before them, each event once, and a rerun adds nothing', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'loopdesk-migrations-'));
    const earlier: Warehouse = { client: warehouse.client, database: 'loopdesk_test_backfill', close: async () => undefined };
    await warehouse.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${earlier.database}` });
    const source = path.resolve(__dirname, '../../analytics/migrations');
    const copy = (name: string) => writeFileSync(path.join(directory, name), readFileSync(path.join(source, name)));
    try {
      copy('001-interaction-events.sql');
      copy('002-daily-topic-stats.sql');
      await migrateWarehouse(earlier, undefined, directory);
      // Before migration 003 events went straight into interaction_events, copies and all.
      const workspaceId = randomUUID();
      const stored = [
        event(workspaceId, { eventType: 'question_asked', occurredAt: new Date('2024-03-01T09:00:00Z'), conversationId: 'c1', topic: 'billing' }),
        event(workspaceId, { eventType: 'handed_off', occurredAt: new Date('2024-03-01T09:00:01Z'), conversationId: 'c1', topic: 'billing' }),
        event(workspaceId, { eventType: 'question_asked', occurredAt: new Date('2024-03-01T10:30:00Z'), conversationId: 'c2', topic: 'login' }),
        event(workspaceId, { eventType: 'answer_shown', occurredAt: new Date('2024-03-01T10:30:01Z'), conversationId: 'c2', topic: 'login', knowledgeItemId: 'k1' }),
        event(workspaceId, { eventType: 'knowledge_published', occurredAt: new Date('2024-02-01T08:00:00Z'), topic: 'login', knowledgeItemId: 'k1' }),
      ];
      const table = `${earlier.database}.interaction_events`;
      const toRow = (e: InteractionEvent) => ({
        event_id: e.eventId,
        workspace_id: e.workspaceId,
        event_type: e.eventType,
        occurred_at: e.occurredAt.toISOString().replace('T', ' ').replace('Z', ''),
        conversation_id: e.conversationId,
        topic: e.topic,
        knowledge_item_id: e.knowledgeItemId ?? '',
        text: e.eventType === 'handed_off' ? 'How do I pay?' : '',
      });
      for (let copyNumber = 0; copyNumber < 2; copyNumber++) await warehouse.client.insert({ table, values: stored.map(toRow), format: 'JSONEachRow' });

      copy('003-ingest-dedup-and-rollups.sql');
      await expect(migrateWarehouse(earlier, undefined, directory)).resolves.toEqual(['003-ingest-dedup-and-rollups.sql']);
      // A run that failed after the backfills would run the whole file again.
      for (const migration of await loadMigrations(directory, earlier.database)) {
        if (migration.version === 3) for (const statement of migration.statements) await warehouse.client.command({ query: statement });
      }

      const counted = await rows<{ events: number; contacts: number; questions: number }>(
        `SELECT (SELECT sum(events) FROM {backfill:Identifier}.hourly_events) AS events,
                (SELECT uniqExactMerge(contacts) FROM {backfill:Identifier}.hourly_contacts) AS contacts,
                (SELECT sum(questions) FROM {backfill:Identifier}.hourly_conversation_timeline) AS questions`,
        { backfill: earlier.database },
      );
      expect(counted).toEqual([{ events: 5, contacts: 2, questions: 2 }]);

      // Migration 005's tables are backfilled the same way: each stored event once.
      copy('004-csat-rollup.sql');
      copy('005-content-and-gap-rollups.sql');
      await expect(migrateWarehouse(earlier, undefined, directory)).resolves.toEqual(['004-csat-rollup.sql', '005-content-and-gap-rollups.sql']);
      const backfilled = await rows<{ lifecycle: number; citations: number; gaps: number }>(
        `SELECT (SELECT count() FROM {backfill:Identifier}.knowledge_lifecycle_events) AS lifecycle,
                (SELECT sum(answers) FROM {backfill:Identifier}.hourly_citations) AS citations,
                (SELECT sum(events) FROM {backfill:Identifier}.hourly_gap_questions) AS gaps`,
        { backfill: earlier.database },
      );
      expect(backfilled).toEqual([{ lifecycle: 1, citations: 1, gaps: 1 }]);

      // Migration 008's totals are backfilled from the finer rollups.
      for (const name of ['006-drop-daily-topic-stats.sql', '007-conversation-times.sql', '008-hourly-totals.sql']) copy(name);
      await migrateWarehouse(earlier, undefined, directory);
      const totals = await rows<{ events: number; contacts: number }>(
        `SELECT (SELECT sum(events) FROM {backfill:Identifier}.hourly_event_totals) AS events,
                (SELECT uniqExactMerge(contacts) FROM {backfill:Identifier}.hourly_contact_totals) AS contacts`,
        { backfill: earlier.database },
      );
      expect(totals).toEqual([{ events: 5, contacts: 2 }]);

      // Migration 009's support rollup, from the events themselves (each once, FINAL), once per dimension kept (and the
      // starts alone at every dimension); a rerun of the file adds nothing. c1 and c2 each start a conversation (their
      // questions carry no followUp: firsts). The contact totals, which only support read, are dropped.
      copy('009-hourly-support-events.sql');
      await expect(migrateWarehouse(earlier, undefined, directory)).resolves.toEqual(['009-hourly-support-events.sql']);
      for (const migration of await loadMigrations(directory, earlier.database)) {
        if (migration.version === 9) for (const statement of migration.statements) await warehouse.client.command({ query: statement });
      }
      const support = await rows<{ kept: number; events: number; conversations: number }>(
        `SELECT kept, sum(events) AS events, sum(conversations) AS conversations FROM {backfill:Identifier}.hourly_support_events GROUP BY kept ORDER BY kept`,
        { backfill: earlier.database },
      );
      expect(support).toEqual([...[1, 2, 8].map((kept) => ({ kept, events: 4, conversations: 2 })), { kept: 15, events: 2, conversations: 2 }]);

      // Migration 010's daily friction and per-item citations, from the events themselves (each once); a rerun adds nothing.
      copy('010-daily-friction-and-item-citations.sql');
      await expect(migrateWarehouse(earlier, undefined, directory)).resolves.toEqual(['010-daily-friction-and-item-citations.sql']);
      for (const migration of await loadMigrations(directory, earlier.database)) {
        if (migration.version === 10) for (const statement of migration.statements) await warehouse.client.command({ query: statement });
      }
      const daily = await rows<{ friction: number; day: string; citations: number; cited: string; dailyCitations: number }>(
        `SELECT (SELECT sum(events) FROM {backfill:Identifier}.daily_friction) AS friction,
                (SELECT toString(any(day)) FROM {backfill:Identifier}.daily_friction) AS day,
                (SELECT count() FROM {backfill:Identifier}.item_citations) AS citations,
                (SELECT toString(any(occurred_at)) FROM {backfill:Identifier}.item_citations) AS cited,
                (SELECT sum(answers) FROM {backfill:Identifier}.daily_citations) AS dailyCitations`,
        { backfill: earlier.database },
      );
      expect(daily).toEqual([{ friction: 1, day: '2024-03-01 00:00:00', citations: 1, cited: '2024-03-01 10:30:01.000', dailyCitations: 1 }]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
      await warehouse.client.command({ query: `DROP DATABASE IF EXISTS ${earlier.database}` });
    }
  });

  it('are found applied by a second connection to the same directory', async () => {
    const second = await createWarehouse(config);
    try {
      await expect(migrateWarehouse(second)).resolves.toEqual([]);
    } finally {
      await second.close();
    }
  });
});

describe('interaction events', () => {
  it('an event delivered twice counts once when read with FINAL or uniqExact(event_id)', async () => {
    const workspaceId = randomUUID();
    const events = [
      event(workspaceId, { eventType: 'question_asked', occurredAt: new Date('2024-02-01T09:00:00.000Z'), topic: 'billing', text: 'How do I get an invoice?' }),
      event(workspaceId, { eventType: 'answer_shown', occurredAt: new Date('2024-02-01T09:00:00.250Z'), topic: 'billing', confidence: 0.82, latencyMs: 250, decision: 'answered' }),
      event(workspaceId, { eventType: 'rated', occurredAt: new Date('2024-02-01T09:01:00.000Z'), topic: 'billing', rating: 1 }),
      event(workspaceId, { eventType: 'question_asked', occurredAt: new Date('2024-02-01T10:00:00.000Z'), topic: 'login', payload: { locale: 'de' } }),
      event(workspaceId, { eventType: 'escalated', occurredAt: new Date('2024-02-01T10:00:05.000Z'), topic: 'login', handoffReason: 'low_confidence' }),
    ];

    const sut = insertEvents;
    await expect(sut(warehouse, events, { chunkSize: 2 })).resolves.toBe(5);
    await sut(warehouse, events, { chunkSize: 2 });

    const [exact] = await rows<{ final: number; distinct: number }>(
      `SELECT
         (SELECT count() FROM {database:Identifier}.interaction_events FINAL WHERE workspace_id = {workspaceId:UUID}) AS final,
         (SELECT uniqExact(event_id) FROM {database:Identifier}.interaction_events WHERE workspace_id = {workspaceId:UUID}) AS distinct`,
      { workspaceId },
    );
    expect(exact).toEqual({ final: 5, distinct: 5 });

    const [stored] = await rows<Record<string, unknown>>(
      `SELECT event_type, occurred_at, topic, confidence, latency_ms, decision, conversation_id, rating, payload
       FROM {database:Identifier}.interaction_events FINAL
       WHERE workspace_id = {workspaceId:UUID} AND event_id = {eventId:UUID}`,
      { workspaceId, eventId: events[1].eventId },
    );
    expect(stored).toEqual({
      event_type: 'answer_shown',
      occurred_at: '2024-02-01 09:00:00.250',
      topic: 'billing',
      confidence: expect.closeTo(0.82, 5),
      latency_ms: 250,
      decision: 'answered',
      conversation_id: '',
      rating: 0,
      payload: '{}',
    });
  });

  it('every field is stored as toEventRow writes it, whatever the text holds, across chunks', async () => {
    const workspaceId = randomUUID();
    const awkward = ['quote " and backslash \\ end\\', 'new\nline\ttab\r', 'emoji 🧾 RTL שלום and \u0001 control', '', '{"not":"json"'];
    const events = awkward.map((text, i) =>
      event(workspaceId, {
        eventType: i % 2 ? 'answer_shown' : 'question_asked',
        occurredAt: new Date(Date.UTC(2024, 1, 2, 9, i, 0, 7 * i)),
        conversationId: randomUUID(),
        messageId: i === 3 ? undefined : randomUUID(),
        customerId: randomUUID(),
        accountId: `acct "${i}"`,
        knowledgeItemId: i === 1 ? randomUUID() : undefined,
        topic: text.slice(0, 12),
        page: `/billing?tab=${i}&q="x"`,
        plan: i === 4 ? undefined : 'pro',
        channel: 'in_app',
        decision: 'answered',
        handoffReason: i === 2 ? 'low_confidence' : undefined,
        confidence: i / 7,
        latencyMs: 12.6 * i,
        rating: i === 0 ? -1 : i === 2 ? 0.6 : undefined,
        text,
        payload: i === 3 ? undefined : { quoted: text, nested: { n: i, list: [1, 'two'] } },
      }),
    );

    const sut = insertEvents;
    await expect(sut(warehouse, events, { chunkSize: 2 })).resolves.toBe(events.length);

    const columns: Array<keyof InteractionEventRow> = [
      'event_id', 'workspace_id', 'event_type', 'occurred_at', 'conversation_id', 'message_id', 'customer_id', 'account_id', 'knowledge_item_id',
      'topic', 'page', 'plan', 'channel', 'decision', 'handoff_reason', 'latency_ms', 'rating', 'text', 'payload', 'correlation_id',
    ];
    const stored = await rows<Record<string, unknown>>(
      `SELECT ${columns.join(', ')}, confidence FROM {database:Identifier}.interaction_events FINAL WHERE workspace_id = {workspaceId:UUID} ORDER BY occurred_at`,
      { workspaceId },
    );
    expect(stored).toHaveLength(events.length);
    stored.forEach((row, i) => {
      const expected = toEventRow(events[i]!);
      expect(Object.fromEntries(columns.map((column) => [column, row[column]]))).toEqual(Object.fromEntries(columns.map((column) => [column, expected[column]])));
      expect(row.confidence).toBeCloseTo(expected.confidence, 5);
    });
  });

  it('a chunk the warehouse refuses while the next one is built fails the insert, and nothing is left unhandled', () => {
    // In a process of its own, on the built code: Jest does not pass unhandled rejections to a test's listeners, and
    // in a service one ends the process. The warehouse has no tables yet, so it refuses the first chunk at once,
    // while the second (100,000 rows) is still being built in slices, the event loop turning between them.
    const script = `
      const { randomUUID } = require('node:crypto');
      const { mkdtempSync, rmSync } = require('node:fs');
      const os = require('node:os');
      const path = require('node:path');
      const dist = ${JSON.stringify(path.join(REPO_ROOT, 'dist'))};
      const { insertEvents } = require(dist + '/analytics/event-writer');
      const { createWarehouse } = require(dist + '/analytics/warehouse-client');
      const { parseConfig, warehouseEnv } = require(dist + '/services/shared/config');
      let unhandled = 0;
      process.on('unhandledRejection', () => (unhandled += 1));
      (async () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), 'loopdesk-refused-chunk-'));
        const warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: dir }));
        try {
          const workspaceId = randomUUID();
          const events = Array.from({ length: 200000 }, (_, i) => ({ eventId: randomUUID(), workspaceId, eventType: 'question_asked', occurredAt: new Date(Date.UTC(2024, 1, 4, 9, 0, 0, i)) }));
          let refusal = '';
          await insertEvents(warehouse, events, { chunkSize: 100000 }).catch((error) => (refusal = String(error.type ?? error.code)));
          await new Promise((resolve) => setTimeout(resolve, 50));
          console.log(JSON.stringify({ refusal, unhandled }));
        } finally {
          await warehouse.close();
          rmSync(dir, { recursive: true, force: true });
        }
      })();`;

    const sut = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });

    expect(sut.status).toBe(0);
    expect(JSON.parse(sut.stdout.trim().split('\n').at(-1)!)).toEqual({ refusal: 'UNKNOWN_TABLE', unhandled: 0 });
  });

  it('an event that cannot be sent stops the insert with an error: the chunks before it are stored, none after', async () => {
    const workspaceId = randomUUID();
    const at = (minute: number) => new Date(Date.UTC(2024, 1, 3, 9, minute));
    const events = [0, 1, 2, 3, 4].map((minute) => event(workspaceId, { eventType: 'question_asked', occurredAt: minute === 3 ? new Date(Number.NaN) : at(minute) }));

    await expect(insertEvents(warehouse, events, { chunkSize: 2 })).rejects.toThrow(RangeError);

    const stored = await rows<{ event_id: string }>(
      'SELECT event_id FROM {database:Identifier}.interaction_events FINAL WHERE workspace_id = {workspaceId:UUID} ORDER BY occurred_at',
      { workspaceId },
    );
    expect(stored.map((row) => row.event_id)).toEqual([events[0]!.eventId, events[1]!.eventId]);
  });
});

