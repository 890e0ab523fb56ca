/**
 * How fast the relay moves events from a Postgres outbox to the warehouse (chDB), and whether it keeps up with a
 * steady stream of writes. The real OutboxRelay, the real insert path (dedup view and rollup views), a throwaway
 * Postgres database. Numbers, not pass/fail.
 *
 *   npm run bench:relay [-- --events 200000] [--batch-sizes 1000,5000,10000,20000]
 *                         [--write-rate 20000] [--sustained-seconds 30] [--json tests/benchmarks/results/relay.json]
 *
 * 1. Backlog: --events rows in the outbox at once, drained with each batch size in turn (a fresh outbox each time).
 * 2. Sustained: for --sustained-seconds, a writer adds --write-rate events per second (20,000: 5,000 asks a second
 *    at about four events each) in slices every 100 ms, while the relay runs on its own loop (100 ms interval,
 *    the largest batch size above). The backlog (unpublished rows) is sampled every second; after the writer
 *    stops, the time until the outbox is empty is the catch-up time.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { migrateWarehouse } from '../../analytics/migrate';
import { OutboxRelay } from '../../analytics/relay';
import { type Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { createLogger } from '../../services/shared/logger';
import { ASK_PAYLOAD_SQL, type OutboxFixture, createOutboxFixture } from '../helpers/outbox-fixture';
import { REPO_ROOT } from '../helpers/repo-root';
import { loadAverages, machineAndLoad } from './bench-support';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    'batch-sizes': { type: 'string', default: '1000,5000,10000,20000' },
    'write-rate': { type: 'string', default: '20000' },
    'sustained-seconds': { type: 'string', default: '30' },
    json: { type: 'string' },
  },
});
const EVENTS = Number(args.events);
const BATCH_SIZES = args['batch-sizes'].split(',').map(Number);
const WRITE_RATE = Number(args['write-rate']);
const SUSTAINED_SECONDS = Number(args['sustained-seconds']);
const logger = createLogger('bench-relay', 'warn');

/** Adds `count` events of conversation's types (question, answer, rating, hand-off), with a question's payload each. */
async function write(outbox: OutboxFixture, workspaceId: string, count: number): Promise<void> {
  await outbox.pool.query(
    `INSERT INTO conversation.outbox_events (id, workspace_id, type, occurred_at, payload)
     SELECT gen_random_uuid(), $1, (ARRAY['question_asked', 'answer_shown', 'answer_rated', 'handed_off'])[1 + n % 4], now(),
            ${ASK_PAYLOAD_SQL}
       FROM generate_series(1, $2) AS n`,
    [workspaceId, count],
  );
}

async function backlog(outbox: OutboxFixture): Promise<number> {
  const { rows } = await outbox.pool.query(`SELECT count(*)::int AS n FROM conversation.outbox_events WHERE published_at IS NULL`);
  return rows[0].n as number;
}

async function drainOnce(warehouse: Warehouse, batchSize: number) {
  const workspaceId = randomUUID();
  const outbox = await createOutboxFixture(workspaceId, 0);
  try {
    await write(outbox, workspaceId, EVENTS);
    const relay = new OutboxRelay({ pool: outbox.pool, warehouse, logger, batchSize });
    const started = performance.now();
    const moved = await relay.drainAll();
    const seconds = (performance.now() - started) / 1000;
    return { batchSize, events: moved, seconds: Number(seconds.toFixed(2)), eventsPerSecond: Math.round(moved / seconds) };
  } finally {
    await outbox.drop();
  }
}

async function sustained(warehouse: Warehouse, batchSize: number) {
  const workspaceId = randomUUID();
  const outbox = await createOutboxFixture(workspaceId, 0);
  const relay = new OutboxRelay({ pool: outbox.pool, warehouse, logger, batchSize, intervalMs: 100 });
  try {
    relay.start();
    const samples: number[] = [];
    const started = performance.now();
    let written = 0;
    let nextSample = 1_000;
    while (performance.now() - started < SUSTAINED_SECONDS * 1_000) {
      const sliceStart = performance.now();
      const due = Math.round((WRITE_RATE * (sliceStart - started)) / 1_000) - written;
      if (due > 0) {
        await write(outbox, workspaceId, due);
        written += due;
      }
      if (performance.now() - started >= nextSample) {
        samples.push(await backlog(outbox));
        nextSample += 1_000;
      }
      await sleep(Math.max(0, 100 - (performance.now() - sliceStart)));
    }
    const writerSeconds = (performance.now() - started) / 1_000;
    const stopped = performance.now();
    while ((await backlog(outbox)) > 0) await sleep(100);
    const catchUpSeconds = (performance.now() - stopped) / 1_000;
    return {
      batchSize,
      writeRatePerSecond: WRITE_RATE,
      achievedWriteRatePerSecond: Math.round(written / writerSeconds),
      seconds: Number(writerSeconds.toFixed(1)),
      events: written,
      backlogEverySecond: samples,
      maxBacklog: Math.max(0, ...samples),
      catchUpSeconds: Number(catchUpSeconds.toFixed(2)),
    };
  } finally {
    await relay.stop();
    await outbox.drop();
  }
}

async function main(): Promise<void> {
  const dataPath = mkdtempSync(path.join(os.tmpdir(), 'loopdesk-bench-relay-'));
  const warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: path.join(dataPath, 'warehouse') }));
  const loadAtStart = loadAverages();
  try {
    await migrateWarehouse(warehouse);
    const backlogRuns = [];
    for (const batchSize of BATCH_SIZES) {
      backlogRuns.push(await drainOnce(warehouse, batchSize));
      console.log('backlog', backlogRuns.at(-1));
    }
    const steady = SUSTAINED_SECONDS > 0 ? await sustained(warehouse, Math.max(...BATCH_SIZES)) : null;
    if (steady) console.log('sustained', steady);
    const result = {
      benchmark: 'relay-throughput',
      measuredAt: new Date().toISOString(),
      setup: {
        ...machineAndLoad(loadAtStart),
        warehouse: 'chDB in this process (analytics/warehouse-client), every migration applied',
        postgres: 'a throwaway database on the test Postgres (embedded unless TEST_POSTGRES_URL)',
        command: `npm run bench:relay -- --events ${EVENTS} --batch-sizes ${BATCH_SIZES.join(',')} --write-rate ${WRITE_RATE} --sustained-seconds ${SUSTAINED_SECONDS}`,
      },
      backlog: backlogRuns,
      sustained: steady,
    };
    const file = args.json ?? path.join(REPO_ROOT, 'tests', 'benchmarks', 'results', 'relay.json');
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`wrote ${file}`);
  } finally {
    await warehouse.close();
    rmSync(dataPath, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
