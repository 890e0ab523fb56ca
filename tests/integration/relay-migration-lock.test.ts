/**
 * Warehouse migrations and relay inserts never overlap (analytics/warehouse-lock.ts), on real Postgres and chDB: a
 * migration waits for the batch being written, and batches wait while a migration runs, so a backfill never sees
 * (or misses) events a relay inserts halfway through it, whichever process runs the relay.
 */
import { Pool } from 'pg';
import { OutboxRelay } from '../../analytics/relay';
import { withWarehouseWritesHeld } from '../../analytics/warehouse-lock';
import { createLogger } from '../../services/shared/logger';
import { eventually } from '../helpers/eventually';
import { useRelayFixture, warehouseEventCount, withInsertFault } from '../helpers/outbox-fixture';

const EVENTS = 60;
const BATCH = 20;
const relay = useRelayFixture('relay-migration-lock', EVENTS);
jest.setTimeout(60_000);

it('a migration waits for the batches being written, and the next batches wait for the migration', async () => {
  const order: string[] = [];
  let waiting = 0;
  let bothWaiting!: () => void;
  const inserting = new Promise<void>((resolve) => (bothWaiting = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const gated = withInsertFault(relay.warehouse, async (params, realInsert) => {
    // The two batches the relay keeps in flight wait here until the migration has asked for the lock.
    if (++waiting === 2) bothWaiting();
    await gate;
    order.push('insert');
    return realInsert(params);
  });
  const sut = new OutboxRelay({ pool: relay.outbox.pool, warehouse: gated, logger: createLogger('test', 'silent'), batchSize: BATCH });
  // The migration runs as another pod would, on connections of its own.
  const otherPod = new Pool({ connectionString: relay.outbox.database.url, max: 2 });
  const published = async () => (await otherPod.query(`SELECT count(*)::int AS n FROM conversation.outbox_events WHERE published_at IS NOT NULL`)).rows[0].n as number;
  const draining = sut.drainAll();
  let holdMigration!: () => void;
  const migrationHeld = new Promise<void>((resolve) => (holdMigration = resolve));
  let migration: Promise<void> | undefined;
  try {
    await inserting;
    let started!: () => void;
    const migrationStarted = new Promise<void>((resolve) => (started = resolve));
    migration = withWarehouseWritesHeld(otherPod, async () => {
      order.push('migration starts');
      started();
      await migrationHeld;
      order.push('migration ends');
    });
    // The migration waits for the two batches in flight.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(order).toEqual([]);
    release();
    await migrationStarted;
    // The third batch waits for the migration.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(order).toEqual(['insert', 'insert', 'migration starts']);
    expect(await published()).toBe(2 * BATCH);
  } finally {
    release();
    holdMigration();
    await migration;
    await otherPod.end();
  }
  expect(await draining).toBe(EVENTS);
  expect(order).toEqual(['insert', 'insert', 'migration starts', 'migration ends', 'insert']);
  expect(await eventually(() => warehouseEventCount(relay.warehouse, relay.workspaceId), (n) => n === EVENTS)).toBe(EVENTS);
});
