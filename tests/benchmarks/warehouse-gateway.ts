/**
 * The warehouse at scale, measured the way an analyst meets it: every insights query through the gateway with an
 * analyst key (the real resolvers, services and rollups), on N events in chDB. Numbers, not pass/fail.
 *
 *   npm run bench:warehouse [-- --events 10000000] [--ingest-events 2000000] [--repeat 20] [--relay-events 200000]
 *                              [--json tests/benchmarks/results/warehouse-10m.json]
 *
 * 1. The stack starts (the real processes, as `npm start`), 20 workspaces are created through the gateway, the
 *    largest (Europe/Paris) to hold 25% of the events.
 * 2. The insights process stops; this process opens its chDB directory and loads the events:
 *    - the first --ingest-events through the project's insert path (analytics/event-writer insertEvents:
 *      JSONEachRow chunks into interaction_events_ingest, the dedup view, the rollup views), timed;
 *    - the rest with INSERT … SELECT over numbers() (the same generator SQL, in ClickHouse), block by block in
 *      time order through the same ingest table and views.
 *    Knowledge and learning events (items, stale flags, learned answers, threshold moves, product changes) follow.
 *    The merges the load set off are waited for (a warehouse that grew over 26 weeks has merged its parts).
 * 3. The insights process starts again on that directory. Each query runs once to warm up, then --repeat times,
 *    for the largest workspace over its default range (the last 30 days) and over 26 weeks. The weekly report
 *    is generated through the gateway (generateWeeklyReport: Temporal, build, render, store).
 * 4. Relay: --relay-events rows are put in conversation's outbox at once; the time until the insights process's
 *    relay has published them all is the relay rate (Postgres outbox → warehouse, at least once, deduplicated).
 * 5. Disk (compressed bytes per event, from system.parts) and the insights process's peak RSS (VmHWM).
 *
 * The events and their distributions: tests/helpers/generated-events.ts (shared with the rollup equality test).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { EVENT_INSERT_CHUNK_SIZE, EVENT_INSERT_SETTINGS, InteractionEvent, insertEvents } from '../../analytics/event-writer';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { insightsEnv } from '../../services/insights/config';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { isoWeekOf } from '../../workflows/iso-week';
import { dataOf } from '../helpers/graphql';
import { REPO_ROOT } from '../helpers/repo-root';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';
import { ASK_PAYLOAD_SQL } from '../helpers/outbox-fixture';
import { Distribution, distribution, loadAverages, machineAndLoad } from './bench-support';
import { GENERATED_COLUMNS as COLUMNS, GENERATED_EVENTS, GENERATED_KNOWLEDGE_EVENTS as KNOWLEDGE_EVENTS, GENERATED_WORKSPACES as WORKSPACES } from '../helpers/generated-events';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const WEEKS = 26;
const GENERATION_BLOCK = 5_000_000;

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    'ingest-events': { type: 'string' },
    repeat: { type: 'string', default: '20' },
    'relay-events': { type: 'string', default: '200000' },
    json: { type: 'string' },
  },
});
const EVENTS = Number(args.events);
const INGEST_EVENTS = Math.min(EVENTS, Number(args['ingest-events'] ?? Math.min(EVENTS, 2_000_000)));
const REPEAT = Number(args.repeat);
const RELAY_EVENTS = Number(args['relay-events']);

interface Timing {
  query: string;
  range: string;
  ms: Distribution;
}

const count = (n: number) => n.toLocaleString('en-US');

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadAverages();
  const end = Math.floor(Date.now() / HOUR) * HOUR;
  const t0 = end - WEEKS * WEEK;
  const log = (message: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0)}s] ${message}\n`);
  let env: TestStack | undefined;
  try {
    // A 26-week query over 100M events can take longer than the gateway's default 30 s wait for a subgraph.
    env = await startTestStack({ RELAY_INTERVAL_MS: '100', SUBGRAPH_TIMEOUT_MS: '600000' }, { readyTimeoutMs: 600_000 });
    log('stack up');
    const workspaces: TestWorkspace[] = [];
    for (let i = 0; i < WORKSPACES; i++) workspaces.push(await createTestWorkspace(env, `Warehouse benchmark ${i + 1}`, { timeZone: i === 0 ? 'Europe/Paris' : 'UTC' }));
    const largest = workspaces[0]!;
    log(`${WORKSPACES} workspaces`);

    // ---- Load -------------------------------------------------------------------------------------------
    const warehousePath = env.warehousePath;
    await env.stack.stopProcess('insights');
    const warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: warehousePath }));
    const params = { workspaces: workspaces.map((w) => w.id), t0, spanMs: WEEKS * WEEK, conversations: Math.ceil(EVENTS / 4) };
    const ingest = await ingestThroughWriter(warehouse, params, INGEST_EVENTS, log);
    const generatedStart = Date.now();
    for (let start = INGEST_EVENTS; start < EVENTS; start += GENERATION_BLOCK) {
      const n = Math.min(GENERATION_BLOCK, EVENTS - start);
      await warehouse.client.command({
        // The writer's insert settings, so the generated rate is the same path's engine side.
        query: `INSERT INTO {database:Identifier}.interaction_events_ingest (${COLUMNS}) SETTINGS ${EVENT_INSERT_SETTINGS} ${GENERATED_EVENTS}`,
        query_params: { ...params, database: warehouse.database, start, count: n },
      });
      log(`generated ${count(start + n)} / ${count(EVENTS)}`);
    }
    const generatedSeconds = (Date.now() - generatedStart) / 1000;
    await warehouse.client.command({
      query: `INSERT INTO {database:Identifier}.interaction_events_ingest (event_id, workspace_id, event_type, occurred_at, knowledge_item_id, topic, payload) SETTINGS ${EVENT_INSERT_SETTINGS} ${KNOWLEDGE_EVENTS}`,
      query_params: { ...params, database: warehouse.database },
    });
    const stored = await one<{ rows: number; bytes: number; uncompressed: number }>(
      warehouse,
      `SELECT sum(rows) AS rows, sum(bytes_on_disk) AS bytes, sum(data_uncompressed_bytes) AS uncompressed FROM system.parts WHERE active AND database = {database:String} AND table = 'interaction_events'`,
    );
    const rollupBytes = await one<{ bytes: number }>(
      warehouse,
      `SELECT sum(bytes_on_disk) AS bytes FROM system.parts WHERE active AND database = {database:String} AND (table LIKE 'hourly_%' OR table = 'knowledge_lifecycle_events')`,
    );
    const largestEvents = await one<{ n: number }>(warehouse, `SELECT count() AS n FROM {database:Identifier}.interaction_events WHERE workspace_id = {ws:UUID}`, { ws: largest.id });
    const settled = await awaitMerges(warehouse, log);
    await warehouse.close();
    log(`loaded: ${count(stored.rows)} rows, ${(stored.bytes / stored.rows).toFixed(1)} bytes/event on disk`);

    // ---- Queries through the gateway ---------------------------------------------------------------------
    await env.stack.startProcess('insights');
    log('insights up again');
    const ranges = { 'default (30 days)': { from: new Date(end - 30 * DAY), to: new Date(end) }, '26 weeks': { from: new Date(t0), to: new Date(end) } };
    const timings: Timing[] = [];
    for (const [range, { from, to }] of Object.entries(ranges)) {
      for (const [name, query, variables] of queries(from, to)) {
        timings.push({ query: name, range, ms: await timeQuery(largest, query, variables) });
        log(`${name}, ${range}: p50 ${timings.at(-1)!.ms.p50} ms, p99 ${timings.at(-1)!.ms.p99} ms`);
      }
    }
    const reportWeek = isoWeekOf(new Date(end - 7 * DAY));
    const reportMs: number[] = [];
    for (let i = 0; i < Math.max(3, Math.min(REPEAT, 5)); i++) {
      const t = performance.now();
      dataOf(await largest.as('admin', 'mutation($input: GenerateWeeklyReportInput!) { generateWeeklyReport(input: $input) { isoWeek findings } }', { input: { isoWeek: reportWeek } }));
      reportMs.push(performance.now() - t);
    }
    const report = distribution(reportMs);
    log(`weekly report ${reportWeek}: p50 ${report.p50} ms`);

    // ---- Relay -------------------------------------------------------------------------------------------
    const relay = await measureRelay(env, largest.id, RELAY_EVENTS);
    log(`relay: ${count(RELAY_EVENTS)} events in ${relay.seconds.toFixed(1)} s`);

    const insightsPid = env.stack.processes.get('insights')?.pid;
    const status = insightsPid ? readFileSync(`/proc/${insightsPid}/status`, 'utf8') : '';
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);

    const result = {
      benchmark: 'warehouse-gateway',
      measuredAt: new Date().toISOString(),
      setup: {
        ...machineAndLoad(loadAtStart),
        warehouse: 'chDB embedded in the insights process',
        events: EVENTS,
        workspaces: WORKSPACES,
        weeks: WEEKS,
        largestWorkspace: { events: largestEvents.n, timeZone: 'Europe/Paris' },
        repeat: REPEAT,
        gatewaySubgraphTimeoutMs: 600_000,
        command: `npm run bench:warehouse -- --events ${EVENTS} --ingest-events ${INGEST_EVENTS} --repeat ${REPEAT} --relay-events ${RELAY_EVENTS}`,
      },
      queriesThroughGateway: timings,
      weeklyReport: { isoWeek: reportWeek, ms: report },
      ingest: {
        insertPath: { ...ingest, note: `analytics/event-writer insertEvents (JSONCompactEachRow chunks of ${EVENT_INSERT_CHUNK_SIZE.toLocaleString('en-US')} rows, the next built while the last is inserted), through the dedup and rollup views` },
        generatedInClickHouse: { events: EVENTS - INGEST_EVENTS, seconds: generatedSeconds, eventsPerSecond: Math.round((EVENTS - INGEST_EVENTS) / generatedSeconds) },
      },
      relay: { events: RELAY_EVENTS, seconds: relay.seconds, eventsPerSecond: Math.round(RELAY_EVENTS / relay.seconds), batchSize: insightsEnv.RELAY_BATCH_SIZE.parse(undefined) },
      disk: {
        rawEventBytes: stored.bytes,
        bytesPerEvent: Number((stored.bytes / stored.rows).toFixed(2)),
        uncompressedBytesPerEvent: Number((stored.uncompressed / stored.rows).toFixed(2)),
        rollupBytes: rollupBytes.bytes,
      },
      mergesAfterLoad: { ...settled, note: 'waited for before any query: the load writes in minutes what the services write over 26 weeks, and a warehouse that grew that slowly has merged its parts long since' },
      insightsProcess: { peakRssMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024) },
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    const file = args.json ?? path.join(REPO_ROOT, 'tests', 'benchmarks', 'results', `warehouse-${EVENTS >= 1e8 ? '100m' : `${Math.round(EVENTS / 1e6)}m`}.json`);
    require('node:fs').writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${file}`);
    console.table(timings.map((t) => ({ query: t.query, range: t.range, p50: t.ms.p50, p99: t.ms.p99 })));
  } finally {
    await env?.stop();
  }
}

/**
 * Waits until no merge runs in the warehouse for two polls in a row (at most 30 minutes): the load sets off merges
 * that would otherwise still run, and compete with the queries, when the first ones are timed.
 */
async function awaitMerges(warehouse: Warehouse, log: (m: string) => void): Promise<{ seconds: number; activeParts: number; timedOut: boolean }> {
  const started = Date.now();
  let quiet = 0;
  while (quiet < 2 && Date.now() - started < 30 * 60_000) {
    const { n } = await one<{ n: number }>(warehouse, `SELECT count() AS n FROM system.merges WHERE database = {database:String}`);
    quiet = Number(n) === 0 ? quiet + 1 : 0;
    if (quiet < 2) await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const parts = await one<{ n: number }>(warehouse, `SELECT count() AS n FROM system.parts WHERE active AND database = {database:String}`);
  log(`merges after the load: settled in ${seconds} s, ${parts.n} active parts`);
  return { seconds, activeParts: Number(parts.n), timedOut: quiet < 2 };
}

/** The insights queries an analyst's dashboard sends, each with its variables. */
function queries(from: Date, to: Date): Array<[string, string, Record<string, unknown>]> {
  const range = { from: from.toISOString(), to: to.toISOString() };
  return [
    ['support by day', 'query($input: SupportMetricsInput!) { workspace { support(input: $input) { totals { questions automationRate medianFirstResponseSeconds } buckets { start questions } handOffReasons { reason count } } } }', { input: { ...range, granularity: 'DAY' } }],
    // The same with each bucket's response times: exact quantiles per bucket as well as over the range (one pass).
    ['support by day, bucket times', 'query($input: SupportMetricsInput!) { workspace { support(input: $input) { totals { questions medianFirstResponseSeconds } buckets { start questions medianFirstResponseSeconds medianResolutionSeconds } } } }', { input: { ...range, granularity: 'DAY' } }],
    ['support by week, plan filter', 'query($input: SupportMetricsInput!) { workspace { support(input: $input) { totals { questions conversations medianResolutionSeconds } } } }', { input: { ...range, granularity: 'WEEK', plan: 'pro' } }],
    ['activity', 'query($range: TimeRangeInput) { workspace { activity(range: $range) { questions answered handedOff } } }', { range }],
    ['learning curve', 'query($input: InsightRangeInput!) { workspace { learningCurve(input: $input) { start correctionsAbsorbed learnedAnswersPublished } } }', { input: { ...range, granularity: 'WEEK' } }],
    ['friction points', 'query($input: InsightRangeInput!) { workspace { frictionPoints(input: $input) { topic plan page handOffs } } }', { input: range }],
    ['topic spikes', 'query($input: TopicSpikesInput!) { workspace { topicSpikes(input: $input) { topicsTested spikes { topic volume } } } }', { input: { from: new Date(to.getTime() - WEEK).toISOString(), to: range.to } }],
    ['knowledge gaps', 'query($input: KnowledgeGapsInput!) { workspace { knowledgeGaps(input: $input) { label volume } } }', { input: { ...range, first: 10 } }],
    ['stale content', '{ workspace { staleContent(input: { uncitedDays: 30 }) { uncitedCount publishedCount stillServed { timesServed } } } }', {}],
  ];
}

async function timeQuery(workspace: TestWorkspace, query: string, variables: Record<string, unknown>): Promise<Distribution> {
  dataOf(await workspace.as('analyst', query, variables));
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    dataOf(await workspace.as('analyst', query, variables));
    times.push(performance.now() - t);
  }
  return distribution(times);
}

/** The first events through insertEvents, as the relay sends them; generation and parsing are not timed. */
async function ingestThroughWriter(warehouse: Warehouse, params: Record<string, unknown>, events: number, log: (m: string) => void) {
  let insertMs = 0;
  const batch = 250_000;
  for (let start = 0; start < events; start += batch) {
    const n = Math.min(batch, events - start);
    const rows = await (
      await warehouse.client.query({ query: GENERATED_EVENTS, query_params: { ...params, start, count: n }, format: 'JSONEachRow' })
    ).json<Record<string, string | number>>();
    const interactionEvents: InteractionEvent[] = rows.map((row) => ({
      eventId: String(row.event_id),
      workspaceId: String(row.workspace_id),
      eventType: String(row.event_type),
      occurredAt: new Date(`${String(row.occurred_at).replace(' ', 'T')}Z`),
      conversationId: String(row.conversation_id),
      knowledgeItemId: String(row.knowledge_item_id),
      topic: String(row.topic),
      page: String(row.page),
      plan: String(row.plan),
      channel: String(row.channel),
      decision: String(row.decision),
      handoffReason: String(row.handoff_reason),
      confidence: Number(row.confidence),
      latencyMs: Number(row.latency_ms),
      rating: Number(row.rating),
      text: String(row.text),
      payload: JSON.parse(String(row.payload)) as Record<string, unknown>,
    }));
    const t = performance.now();
    await insertEvents(warehouse, interactionEvents);
    insertMs += performance.now() - t;
    log(`inserted ${count(start + n)} / ${count(events)} through insertEvents`);
  }
  return { events, seconds: Number((insertMs / 1000).toFixed(1)), eventsPerSecond: Math.round(events / (insertMs / 1000)) };
}

async function measureRelay(env: TestStack, workspaceId: string, events: number): Promise<{ seconds: number }> {
  const pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
  try {
    await pool.query(
      `INSERT INTO conversation.outbox_events (id, workspace_id, type, occurred_at, payload)
       SELECT gen_random_uuid(), $1, 'question_asked', now() - make_interval(secs => n), ${ASK_PAYLOAD_SQL}
         FROM generate_series(1, $2) AS n`,
      [workspaceId, events],
    );
    const t = performance.now();
    for (;;) {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM conversation.outbox_events WHERE published_at IS NULL`);
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return { seconds: (performance.now() - t) / 1000 };
  } finally {
    await pool.end();
  }
}

async function one<T>(warehouse: Warehouse, query: string, params: Record<string, unknown> = {}): Promise<T> {
  const rows = await (await warehouse.client.query({ query, query_params: { database: warehouse.database, ...params }, format: 'JSONEachRow' })).json<T>();
  return rows[0]!;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
