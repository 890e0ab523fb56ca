/**
 * Which way of sending events to the warehouse is fastest in chDB. The same events (the relay's shape), each mode
 * into a fresh copy of the schema (the dedup view and the rollup views run on every insert):
 * - insertEvents, the project's insert path (JSONCompactEachRow in 50,000-row chunks, the next chunk serialized
 *   while the warehouse stores the current one), timed from the events as the relay hands them over;
 * - @clickhouse/client's insert as JSONEachRow (objects) and JSONCompactEachRow (arrays), 5,000 and 50,000 rows a
 *   request, and TabSeparated text, timed from the rows (toEventRow already applied).
 * RowBinary and Native cannot be sent: the client's insert takes JSON and text formats only, and chDB's connection
 * turns any body into text appended to the statement. Each mode runs --repeat times, modes interleaved; the median
 * is reported. Numbers, not pass/fail.
 *
 *   npm run bench:warehouse-ingest [-- --events 200000 --repeat 3]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EVENT_INSERT_SETTINGS, InteractionEvent, InteractionEventRow, insertEvents, toEventRow } from '../../analytics/event-writer';
import { migrateWarehouse } from '../../analytics/migrate';
import { createWarehouse } from '../../analytics/warehouse-client';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { REPO_ROOT } from '../helpers/repo-root';
import { loadAverages, machineAndLoad, prng } from './bench-support';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '200000' }, repeat: { type: 'string', default: '3' }, json: { type: 'string' } } });
const EVENTS = Number(args.events);
const REPEAT = Number(args.repeat);
const TYPES = ['question_asked', 'answer_shown', 'handed_off', 'answer_rated', 'resolved', 'agent_replied'];
const TOPICS = ['billing', 'login', 'exports', 'invoices', 'sso', 'api', 'refunds', 'cards'];

function events(workspaceId: string, seed: number): InteractionEvent[] {
  const random = prng(seed);
  const start = Date.parse('2026-06-01T00:00:00Z');
  return Array.from({ length: EVENTS }, (_, i) => ({
    eventId: randomUUID(),
    workspaceId,
    eventType: TYPES[Math.floor(random() * TYPES.length)]!,
    occurredAt: new Date(start + i * 1_000),
    conversationId: randomUUID(),
    topic: TOPICS[Math.floor(random() * TOPICS.length)]!,
    plan: random() < 0.5 ? 'pro' : 'free',
    page: '/billing',
    channel: 'in_app',
    confidence: random(),
    latencyMs: Math.floor(random() * 1000),
    text: random() < 0.3 ? 'How do I export my invoices to CSV?' : '',
  }));
}

// event_id last: chDB trims the statement it is handed, so a TabSeparated row whose last field is empty (often the
// correlation id) would lose its closing tab and fail to parse.
const COLUMNS: Array<keyof InteractionEventRow> = [
  'workspace_id', 'event_type', 'occurred_at', 'conversation_id', 'message_id', 'customer_id', 'account_id', 'knowledge_item_id',
  'topic', 'page', 'plan', 'channel', 'decision', 'handoff_reason', 'confidence', 'latency_ms', 'rating', 'text', 'payload', 'correlation_id', 'event_id',
];
const tsvEscape = (value: string | number) => String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

type Mode = { name: string; format: 'insertEvents' | 'JSONEachRow' | 'JSONCompactEachRow' | 'TabSeparated'; chunk: number; table?: string };
const MODES: Mode[] = [
  { name: 'insertEvents (the insert path: JSONCompactEachRow, 50,000 rows, serializing while storing)', format: 'insertEvents', chunk: 50_000 },
  { name: 'JSONEachRow, 5,000 rows', format: 'JSONEachRow', chunk: 5_000 },
  { name: 'JSONEachRow, 50,000 rows', format: 'JSONEachRow', chunk: 50_000 },
  { name: 'JSONEachRow, 50,000 rows, straight into interaction_events (skips the dedup view; the rollup views still run)', format: 'JSONEachRow', chunk: 50_000, table: 'interaction_events' },
  { name: 'JSONCompactEachRow, 5,000 rows', format: 'JSONCompactEachRow', chunk: 5_000 },
  { name: 'JSONCompactEachRow, 50,000 rows', format: 'JSONCompactEachRow', chunk: 50_000 },
  { name: 'TabSeparated, 50,000 rows', format: 'TabSeparated', chunk: 50_000 },
];

/** One timed run of a mode into a fresh warehouse: events per second and the process's cores busy meanwhile. */
async function run(mode: Mode, seed: number): Promise<{ eventsPerSecond: number; cores: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loopdesk-ingest-'));
  const warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: dir }));
  try {
    await migrateWarehouse(warehouse);
    // The client modes pay the writer's insert settings too (insertEvents puts them in its statement; chDB keeps a
    // SET for the rest of its session, and each run has a warehouse of its own).
    await warehouse.client.command({ query: `SET ${EVENT_INSERT_SETTINGS}` });
    const given = events(randomUUID(), seed);
    const rows = given.map(toEventRow);
    const table = `${warehouse.database}.${mode.table ?? 'interaction_events_ingest'}`;
    const cpu = process.cpuUsage();
    const started = performance.now();
    if (mode.format === 'insertEvents') await insertEvents(warehouse, given, { chunkSize: mode.chunk });
    for (let start = 0; mode.format !== 'insertEvents' && start < rows.length; start += mode.chunk) {
      const chunk = rows.slice(start, start + mode.chunk);
      if (mode.format === 'JSONEachRow') await warehouse.client.insert({ table, values: chunk, format: 'JSONEachRow' });
      else if (mode.format === 'JSONCompactEachRow') await warehouse.client.insert({ table, columns: COLUMNS as [string, ...string[]], values: chunk.map((row) => COLUMNS.map((c) => row[c])), format: 'JSONCompactEachRow' });
      else {
        const text = chunk.map((row) => COLUMNS.map((c) => tsvEscape(row[c])).join('\t')).join('\n') + '\n';
        await warehouse.client.command({ query: `INSERT INTO ${table} (${COLUMNS.join(', ')}) FORMAT TabSeparated\n${text}` });
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const [stored] = await (await warehouse.client.query({ query: `SELECT count() AS n FROM ${warehouse.database}.interaction_events`, format: 'JSONEachRow' })).json<{ n: number }>();
    if (Number(stored?.n) !== EVENTS) throw new Error(`${mode.name}: stored ${stored?.n} of ${EVENTS}`);
    return { eventsPerSecond: Math.round(EVENTS / seconds), cores: Number(((used.user + used.system) / 1e6 / seconds).toFixed(2)) };
  } finally {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const loadAtStart = loadAverages();
  const runs = new Map<Mode, Array<{ eventsPerSecond: number; cores: number }>>(MODES.map((mode) => [mode, []]));
  for (let round = 0; round < REPEAT; round += 1) {
    for (const [index, mode] of MODES.entries()) {
      const result = await run(mode, round * MODES.length + index + 1);
      runs.get(mode)!.push(result);
      console.log(`round ${round + 1}, ${mode.name}: ${result.eventsPerSecond.toLocaleString('en-US')} events/s, ${result.cores} cores busy in this process`);
    }
  }
  const results = MODES.map((mode) => ({
    mode: mode.name,
    eventsPerSecond: median(runs.get(mode)!.map((r) => r.eventsPerSecond)),
    runs: runs.get(mode)!.map((r) => r.eventsPerSecond),
    coresBusy: median(runs.get(mode)!.map((r) => r.cores)),
  }));
  const file = args.json ?? path.join(REPO_ROOT, 'tests', 'benchmarks', 'results', 'warehouse-ingest.json');
  writeFileSync(file, `${JSON.stringify({
    benchmark: 'warehouse-ingest', measuredAt: new Date().toISOString(), events: EVENTS, repeat: REPEAT,
    setup: { ...machineAndLoad(loadAtStart), warehouse: 'chDB in process, fresh schema per run (dedup and rollup views on)', node: process.version },
    results,
  }, null, 2)}\n`);
  console.table(results.map(({ mode, eventsPerSecond, coresBusy }) => ({ mode, eventsPerSecond, coresBusy })));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
