/**
 * What the warehouse's materialized views cost an insert, engine side: events generated inside ClickHouse
 * (tests/helpers/generated-events.ts, the distributions bench:warehouse uses) and inserted with INSERT … SELECT, so
 * no client, serialization or transport is in the figure. Numbers, not pass/fail.
 *
 *   npm run bench:warehouse-views [-- --events 1000000 --repeat 2 --json tests/benchmarks/results/warehouse-views.json]
 *
 * In a fresh chDB directory with every warehouse migration applied:
 * 1. the whole path: --events into interaction_events_ingest (the dedup view, then every rollup view) with the
 *    writer's insert settings (EVENT_INSERT_SETTINGS) and with the engine's defaults, and the same into a plain
 *    MergeTree copy of interaction_events with no view, alternately, --repeat times each;
 * 2. each view alone, with the writer's settings: every materialized view reading interaction_events detached, then
 *    attached one at a time;
 *    its cost is the insert's time with it attached less the time with none (best of --repeat each; none is
 *    timed first and last, and the mean of the two is the baseline).
 * Every insert carries fresh event ids, later in the same 26 weeks, so later inserts find more parts to merge with:
 * the whole-path modes alternate for that reason, and a view's figure carries that drift (views measured later
 * pay a little more).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EVENT_INSERT_SETTINGS } from '../../analytics/event-writer';
import { migrateWarehouse } from '../../analytics/migrate';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { GENERATED_COLUMNS, GENERATED_EVENTS } from '../helpers/generated-events';
import { intOption, loadAverages, machineAndLoad } from './bench-support';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

const { values: args } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, repeat: { type: 'string', default: '2' }, json: { type: 'string' } } });
const EVENTS = intOption('events', args.events, 10_000);
const REPEAT = intOption('repeat', args.repeat, 1, 20);

async function main(): Promise<void> {
  const loadAtStart = loadAverages();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'loopdesk-bench-views-'));
  const warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: dir }));
  try {
    await migrateWarehouse(warehouse);
    const database = warehouse.database;
    await warehouse.client.command({
      query: `CREATE TABLE ${database}.bench_plain_events AS ${database}.interaction_events ENGINE = MergeTree PARTITION BY toYYYYMM(occurred_at) ORDER BY (workspace_id, occurred_at, event_id)`,
    });
    const views = await rollupViews(warehouse);
    // Every insert of the run spread over the same 26 weeks, in time order (the generator makes a conversation of
    // four events and places conversation c at c / conversations of the span).
    const inserts = REPEAT * (5 + views.length);
    const end = Math.floor(Date.now() / HOUR) * HOUR;
    const generation = { workspaces: Array.from({ length: 20 }, () => randomUUID()), t0: end - 26 * WEEK, spanMs: 26 * WEEK, conversations: Math.ceil((EVENTS * inserts) / 4), count: EVENTS };
    let start = 0;
    const insertInto = async (table: string, settings: 'writer' | 'defaults' = 'writer'): Promise<number> => {
      const started = performance.now();
      const clause = settings === 'writer' ? ` SETTINGS ${EVENT_INSERT_SETTINGS}` : '';
      await warehouse.client.command({ query: `INSERT INTO {database:Identifier}.${table} (${GENERATED_COLUMNS})${clause} ${GENERATED_EVENTS}`, query_params: { ...generation, database, start } });
      start += EVENTS;
      return (performance.now() - started) / 1000;
    };
    console.log(`== setup: ${EVENTS.toLocaleString('en-US')} events per insert, ${REPEAT} inserts per mode; node ${process.version}; load average ${loadAtStart}; chDB in this process`);

    const whole = { withViews: [] as number[], withViewsDefaults: [] as number[], plain: [] as number[] };
    for (let i = 0; i < REPEAT; i++) {
      whole.withViews.push(await insertInto('interaction_events_ingest'));
      whole.withViewsDefaults.push(await insertInto('interaction_events_ingest', 'defaults'));
      whole.plain.push(await insertInto('bench_plain_events'));
    }
    const rate = (seconds: number) => Math.round(EVENTS / seconds);
    const best = (values: number[]) => Math.min(...values);
    console.log(`\n== whole path (best of ${REPEAT})`);
    console.log(`  through the dedup view and every rollup view   ${rate(best(whole.withViews)).toLocaleString('en-US')} events/s (${EVENT_INSERT_SETTINGS})`);
    console.log(`  the same with the engine's default settings    ${rate(best(whole.withViewsDefaults)).toLocaleString('en-US')} events/s`);
    console.log(`  plain MergeTree, no view                       ${rate(best(whole.plain)).toLocaleString('en-US')} events/s`);

    for (const view of views) await warehouse.client.command({ query: `DETACH TABLE ${database}.${view}` });
    const none: number[] = [];
    for (let i = 0; i < REPEAT; i++) none.push(await insertInto('interaction_events'));
    const withOne = new Map<string, number>();
    for (const view of views) {
      await warehouse.client.command({ query: `ATTACH TABLE ${database}.${view}` });
      const times: number[] = [];
      for (let i = 0; i < REPEAT; i++) times.push(await insertInto('interaction_events'));
      await warehouse.client.command({ query: `DETACH TABLE ${database}.${view}` });
      withOne.set(view, best(times));
    }
    // None attached again at the end: the baseline is the mean of the two, so the drift over the run is split.
    const noneAfter: number[] = [];
    for (let i = 0; i < REPEAT; i++) noneAfter.push(await insertInto('interaction_events'));
    const baseline = (best(none) + best(noneAfter)) / 2;
    const perView = views.map((view) => ({ view, extraSeconds: Number((withOne.get(view)! - baseline).toFixed(3)) }));
    perView.sort((a, b) => b.extraSeconds - a.extraSeconds);
    console.log(`\n== each view alone on interaction_events: seconds it adds to ${EVENTS.toLocaleString('en-US')} events (none attached: ${best(none).toFixed(2)} s first, ${best(noneAfter).toFixed(2)} s last)`);
    for (const { view, extraSeconds } of perView) console.log(`  ${view.padEnd(42)} ${extraSeconds >= 0 ? '+' : ''}${extraSeconds.toFixed(2)}`);
    const sum = perView.reduce((total, { extraSeconds }) => total + extraSeconds, 0);
    console.log(`  sum                                        +${sum.toFixed(2)}`);

    if (args.json) {
      const figures = {
        benchmark: 'warehouse-views',
        measuredAt: new Date().toISOString(),
        setup: { node: process.version, ...machineAndLoad(loadAtStart), warehouse: 'chDB embedded in the benchmark process', eventsPerInsert: EVENTS, repeat: REPEAT, command: `npm run bench:warehouse-views -- --events ${EVENTS} --repeat ${REPEAT}` },
        wholePath: {
          insertSettings: EVENT_INSERT_SETTINGS,
          withViewsEventsPerSecond: rate(best(whole.withViews)),
          withViewsDefaultSettingsEventsPerSecond: rate(best(whole.withViewsDefaults)),
          plainEventsPerSecond: rate(best(whole.plain)),
          withViewsSeconds: whole.withViews.map((s) => Number(s.toFixed(3))),
          withViewsDefaultSettingsSeconds: whole.withViewsDefaults.map((s) => Number(s.toFixed(3))),
          plainSeconds: whole.plain.map((s) => Number(s.toFixed(3))),
        },
        noViewSeconds: { first: none.map((s) => Number(s.toFixed(3))), last: noneAfter.map((s) => Number(s.toFixed(3))) },
        perView,
      };
      writeFileSync(args.json, `${JSON.stringify(figures, null, 2)}\n`);
      console.log(`\nwrote ${args.json}`);
    }
  } finally {
    await warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The materialized views that read interaction_events (the rollups; not the dedup view, which feeds it). */
async function rollupViews(warehouse: Warehouse): Promise<string[]> {
  const result = await warehouse.client.query({
    query: `SELECT name, create_table_query FROM system.tables WHERE database = {database:String} AND engine = 'MaterializedView' ORDER BY name`,
    query_params: { database: warehouse.database },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ name: string; create_table_query: string }>();
  const db = warehouse.database;
  return rows
    .filter((row) => new RegExp(`FROM ${db}\\.interaction_events\\b(?!_)`).test(row.create_table_query) && !new RegExp(`TO ${db}\\.interaction_events\\b(?!_)`).test(row.create_table_query))
    .map((row) => row.name);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
