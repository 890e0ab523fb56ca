/**
 * The relay's Postgres connection dies while it writes a batch to the warehouse (Postgres killed or restarted under
 * load): the pass fails like any outage and the next one delivers everything once. Before, the lost connection was
 * an 'error' event on a checked-out pg client nobody listened to, and it ended the insights process. Real Postgres
 * (the backend really is terminated) and real chDB; the only thing injected is the moment, inside the insert.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { migrateWarehouse } from '../../analytics/migrate';
import { OutboxRelay } from '../../analytics/relay';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { createLogger } from '../../services/shared/logger';
import { OutboxFixture, createOutboxFixture, warehouseEventCount, withInsertFault } from '../helpers/outbox-fixture';

const EVENTS = 900;
const workspaceId = randomUUID();
const warehousePath = mkdtempSync(path.join(tmpdir(), 'loopdesk-relay-lost-'));
let outbox: OutboxFixture;
let warehouse: Warehouse;
let admin: Pool;

beforeAll(async () => {
  outbox = await createOutboxFixture(workspaceId, EVENTS);
  admin = new Pool({ connectionString: outbox.database.url, max: 1 });
  warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: warehousePath }));
  await migrateWarehouse(warehouse);
});

afterAll(async () => {
  await warehouse?.close();
  await admin?.end();
  await outbox?.drop();
  rmSync(warehousePath, { recursive: true, force: true });
});

const warehouseCount = () => warehouseEventCount(warehouse, workspaceId);

it('a connection lost while the relay writes to the warehouse fails that pass only, and the next pass delivers every event once', async () => {
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.on('uncaughtException', onUncaught);
  let cut = false;
  const cutting = withInsertFault(warehouse, async (params, realInsert) => {
    if (!cut) {
      cut = true;
      // The relay's backend holds the batch's rows locked, idle in its transaction: terminate it, and give
      // the client time to receive the termination while no query of its own is running. The relay has two
      // batches in flight, each on a connection of its own: both are cut (killing only the other one, its
      // own connection alive, would let this batch commit and drain the rest), so the pass fails whole.
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      expect(rowCount).toBeGreaterThanOrEqual(1);
      await sleep(300);
    }
    return realInsert(params);
  });
  const sut = new OutboxRelay({ pool: outbox.pool, warehouse: cutting, logger: createLogger('test', 'silent'), batchSize: 400 });

  try {
    await expect(sut.drainAll()).rejects.toThrow();
    expect(cut).toBe(true);
    expect(uncaught).toEqual([]);
    expect(await outbox.published()).toBe(0);
    // The batch reached the warehouse before its rows could be marked: it is sent again, and kept once.
    expect(await sut.drainAll()).toBe(EVENTS);
  } finally {
    process.removeListener('uncaughtException', onUncaught);
  }
  expect(await outbox.published()).toBe(EVENTS);
  expect(await warehouseCount()).toBe(EVENTS);
});
