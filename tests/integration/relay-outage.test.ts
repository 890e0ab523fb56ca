/**
 * A warehouse outage: the outbox holds every event while ClickHouse refuses writes, then drains when it is
 * back. The warehouse is real chDB; the outage is a fault injected in front of its insert.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrateWarehouse } from '../../analytics/migrate';
import { OutboxRelay } from '../../analytics/relay';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { createLogger } from '../../services/shared/logger';
import { OutboxFixture, createOutboxFixture, warehouseEventCount } from '../helpers/outbox-fixture';

const EVENTS = 1_500;
const workspaceId = randomUUID();
const warehousePath = mkdtempSync(path.join(tmpdir(), 'loopdesk-relay-outage-'));
let outbox: OutboxFixture;
let warehouse: Warehouse;

beforeAll(async () => {
  outbox = await createOutboxFixture(workspaceId, EVENTS);
  warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: warehousePath }));
  await migrateWarehouse(warehouse);
});

afterAll(async () => {
  await warehouse?.close();
  await outbox?.drop();
  rmSync(warehousePath, { recursive: true, force: true });
});

const warehouseCount = () => warehouseEventCount(warehouse, workspaceId);

it('holds events in the outbox while the warehouse is down, then drains them once', async () => {
  let down = true;
  const realInsert = warehouse.client.insert.bind(warehouse.client);
  const flaky: Warehouse = {
    ...warehouse,
    client: new Proxy(warehouse.client, {
      get(target, property, receiver) {
        if (property === 'insert') {
          return (params: Parameters<typeof realInsert>[0]) => (down ? Promise.reject(new Error('ECONNREFUSED (warehouse down)')) : realInsert(params));
        }
        return Reflect.get(target, property, receiver);
      },
    }),
  };
  const sut = new OutboxRelay({ pool: outbox.pool, warehouse: flaky, logger: createLogger('test', 'silent'), batchSize: 400 });

  await expect(sut.drainAll()).rejects.toThrow(/warehouse down/);
  await expect(sut.drainAll()).rejects.toThrow(/warehouse down/);
  expect(await outbox.published()).toBe(0);
  expect(await warehouseCount()).toBe(0);

  down = false;
  expect(await sut.drainAll()).toBe(EVENTS);
  expect(await outbox.published()).toBe(EVENTS);
  expect(await warehouseCount()).toBe(EVENTS);
  expect(await sut.drainAll()).toBe(0);
  expect(await warehouseCount()).toBe(EVENTS);
});
