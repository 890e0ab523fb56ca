/**
 * Which way of sending events to the warehouse is fastest in chDB: the same events (the relay's shape) sent as
 * JSONEachRow (objects, what insertEvents sent before), JSONCompactEachRow (arrays, no keys; what it sends now), in chunks of 5,000 and 50,000 rows, each into a fresh copy of the schema (the dedup view and the
 * rollup views run on every insert). RowBinary and Native cannot be sent by @clickhouse/client's insert (it takes
 * JSON formats and raw text formats only). Numbers, not pass/fail.
 *
 *   npm run bench:warehouse-ingest [-- --events 200000]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InteractionEvent, InteractionEventRow, toEventRow } from '../../analytics/event-writer';
import { migrateWarehouse } from '../../analytics/migrate';
import { createWarehouse } from '../../analytics/warehouse-client';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { REPO_ROOT } from '../helpers/repo-root';
import { loadAverages, prng } from './bench-support';

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '200000' }, json: { type: 'string' } } });
const EVENTS = Number(args.events);
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

const COLUMNS: Array<keyof InteractionEventRow> = [
  'event_id', 'workspace_id', 'event_type', 'occurred_at', 'conversation_id', 'message_id', 'customer_id', 'account_id', 'knowledge_item_id',
  'topic', 'page', 'plan', 'channel', 'decision', 'handoff_reason', 'confidence', 'latency_ms', 'rating', 'text', 'payload', 'correlation_id',
];
const tsvEscape = (value: string | number) => String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

type Mode = { name: string; format: 'JSONEachRow' | 'JSONCompactEachRow' | 'TabSeparated'; chunk: number; table?: string };
const MODES: Mode[] = [
  { name: 'JSONEachRow, 5,000 rows (insertEvents before JSONCompactEachRow won)', format: 'JSONEachRow', chunk: 5_000 },
  { name: 'JSONEachRow, 5,000 rows, straight into interaction_events (skips the dedup view; the rollup views still run)', format: 'JSONEachRow', chunk: 5_000, table: 'interaction_events' },
  { name: 'JSONEachRow, 50,000 rows', format: 'JSONEachRow', chunk: 50_000 },
  { name: 'JSONCompactEachRow, 5,000 rows', format: 'JSONCompactEachRow', chunk: 5_000 },
  { name: 'JSONCompactEachRow, 50,000 rows', format: 'JSONCompactEachRow', chunk: 50_000 },
];

async function main(): Promise<void> {
  const results: Array<{ mode: string; eventsPerSecond: number; seconds: number }> = [];
  for (const [index, mode] of MODES.entries()) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loopdesk-ingest-'));
    const warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: dir }));
    try {
      await migrateWarehouse(warehouse);
      const rows = events(randomUUID(), index + 1).map(toEventRow);
      const table = `${warehouse.database}.${mode.table ?? 'interaction_events_ingest'}`;
      const started = performance.now();
      for (let start = 0; start < rows.length; start += mode.chunk) {
        const chunk = rows.slice(start, start + mode.chunk);
        if (mode.format === 'JSONEachRow') await warehouse.client.insert({ table, values: chunk, format: 'JSONEachRow' });
        else if (mode.format === 'JSONCompactEachRow') await warehouse.client.insert({ table, columns: COLUMNS as [string, ...string[]], values: chunk.map((row) => COLUMNS.map((c) => row[c])), format: 'JSONCompactEachRow' });
        else {
          const text = chunk.map((row) => COLUMNS.map((c) => tsvEscape(row[c])).join('\t')).join('\n') + '\n';
          await warehouse.client.command({ query: `INSERT INTO ${table} (${COLUMNS.join(', ')}) FORMAT TabSeparated\n${text}` });
        }
      }
      const seconds = (performance.now() - started) / 1000;
      const [stored] = await (await warehouse.client.query({ query: `SELECT count() AS n FROM ${warehouse.database}.interaction_events`, format: 'JSONEachRow' })).json<{ n: number }>();
      if (Number(stored?.n) !== EVENTS) throw new Error(`${mode.name}: stored ${stored?.n} of ${EVENTS}`);
      results.push({ mode: mode.name, eventsPerSecond: Math.round(EVENTS / seconds), seconds: Number(seconds.toFixed(2)) });
      console.log(`${mode.name}: ${results.at(-1)!.eventsPerSecond.toLocaleString('en-US')} events/s`);
    } finally {
      await warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const file = args.json ?? path.join(REPO_ROOT, 'tests', 'benchmarks', 'results', 'warehouse-ingest.json');
  writeFileSync(file, `${JSON.stringify({
    benchmark: 'warehouse-ingest', measuredAt: new Date().toISOString(), events: EVENTS,
    setup: { machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB`, shared: 'The machine was shared by 7 engineers running builds, tests and benchmarks at the same time', loadAverageAtEnd: loadAverages(), warehouse: 'chDB in process, fresh schema per mode (dedup and rollup views on)' },
    results,
  }, null, 2)}\n`);
  console.table(results);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
