/**
 * A warehouse outage: the outbox holds every event while ClickHouse refuses writes, then drains when it is
 * back. The warehouse is real chDB; the outage is a fault injected in front of its insert.
 */
import { OutboxRelay } from '../../analytics/relay';
import { createLogger } from '../../services/shared/logger';
import { useRelayFixture, warehouseEventCount, withInsertFault } from '../helpers/outbox-fixture';

const EVENTS = 1_500;
const relay = useRelayFixture('relay-outage', EVENTS);

const warehouseCount = () => warehouseEventCount(relay.warehouse, relay.workspaceId);

it('holds events in the outbox while the warehouse is down, then drains them once', async () => {
  const { outbox, warehouse } = relay;
  let down = true;
  const flaky = withInsertFault(warehouse, (params, realInsert) => (down ? Promise.reject(new Error('ECONNREFUSED (warehouse down)')) : realInsert(params)));
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
