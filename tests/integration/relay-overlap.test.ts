/**
 * A backlog drains with two batches in flight: while one batch is written to the warehouse, the next one is read
 * and locked in Postgres, and each event still reaches the warehouse exactly once. The warehouse is real chDB; a
 * gate in front of its insert holds the first batch until the second one has reached the warehouse too, which
 * can only happen if the relay read it meanwhile.
 */
import { OutboxRelay } from '../../analytics/relay';
import { createLogger } from '../../services/shared/logger';
import { useRelayFixture, warehouseEventCount, withInsertFault } from '../helpers/outbox-fixture';

const BATCH = 300;
const EVENTS = 5 * BATCH;
const relay = useRelayFixture('relay-overlap', EVENTS);
jest.setTimeout(60_000);

it('reads and locks the next batch while one is written, and delivers every event once', async () => {
  let writing = 0;
  let mostAtOnce = 0;
  let secondArrived!: () => void;
  const second = new Promise<void>((resolve) => (secondArrived = resolve));
  const gated = withInsertFault(relay.warehouse, async (params, realInsert) => {
    writing += 1;
    mostAtOnce = Math.max(mostAtOnce, writing);
    try {
      if (writing === 2) secondArrived();
      // An insert alone waits for a second one, at most 2 s: a relay that reads one batch at a time ends with
      // mostAtOnce 1 below (its raw rows, not deduplicated, also show an event sent twice).
      else await Promise.race([second, new Promise((resolve) => setTimeout(resolve, 2_000))]);
      return await realInsert(params);
    } finally {
      writing -= 1;
    }
  });
  const sut = new OutboxRelay({ pool: relay.outbox.pool, warehouse: gated, logger: createLogger('test', 'silent'), batchSize: BATCH });

  expect(await sut.drainAll()).toBe(EVENTS);
  expect(mostAtOnce).toBe(2);
  expect(await relay.outbox.published()).toBe(EVENTS);
  const rows = await relay.warehouse.client.query({
    query: 'SELECT count() AS n FROM {database:Identifier}.interaction_events WHERE workspace_id = {workspaceId:UUID}',
    query_params: { database: relay.warehouse.database, workspaceId: relay.workspaceId },
    format: 'JSONEachRow',
  });
  expect(Number((await rows.json<{ n: number }>())[0]?.n)).toBe(EVENTS);
  expect(await warehouseEventCount(relay.warehouse, relay.workspaceId)).toBe(EVENTS);
});
