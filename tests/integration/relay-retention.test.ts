/**
 * The outbox does not grow without end: the relay deletes rows published longer ago than the retention, oldest
 * first, and never a row it has not published yet (however old). Real Postgres and chDB.
 */
import { OutboxRelay } from '../../analytics/relay';
import { createLogger } from '../../services/shared/logger';
import { useRelayFixture, warehouseEventCount } from '../helpers/outbox-fixture';

const DAY_MS = 86_400_000;
const relay = useRelayFixture('relay-retention', 0);

/** Adds `count` rows that happened `ageDays` ago, published `publishedDaysAgo` ago (null: not yet); returns their ids. */
async function rows(count: number, ageDays: number, publishedDaysAgo: number | null): Promise<string[]> {
  const { rows: inserted } = await relay.outbox.pool.query<{ id: string }>(
    `INSERT INTO conversation.outbox_events (id, workspace_id, type, occurred_at, payload, published_at)
     SELECT gen_random_uuid(), $1, 'question_asked', now() - make_interval(days => $2), jsonb_build_object('topic', 'retention'),
            CASE WHEN $3::int IS NULL THEN NULL ELSE now() - make_interval(days => $3::int) END
       FROM generate_series(1, $4)
     RETURNING id`,
    [relay.workspaceId, ageDays, publishedDaysAgo, count],
  );
  return inserted.map((row) => row.id);
}

const remaining = async () => {
  const { rows: left } = await relay.outbox.pool.query<{ id: string }>(`SELECT id FROM conversation.outbox_events`);
  return new Set(left.map((row) => row.id));
};

it('deletes rows published before the retention and keeps recent and unpublished ones', async () => {
  const expired = await rows(25, 20, 9);
  const recent = await rows(4, 2, 1);
  const stuck = await rows(3, 30, null);
  const sut = new OutboxRelay({ pool: relay.outbox.pool, warehouse: relay.warehouse, logger: createLogger('test', 'silent'), retentionMs: 7 * DAY_MS });

  expect(await sut.prune('conversation')).toBe(expired.length);
  const left = await remaining();
  expect(expired.filter((id) => left.has(id))).toEqual([]);
  expect([...recent, ...stuck].every((id) => left.has(id))).toBe(true);

  // The old unpublished rows are relayed like any other, and stay until their own retention has passed.
  expect(await sut.drainAll()).toBe(stuck.length);
  expect(await warehouseEventCount(relay.warehouse, relay.workspaceId)).toBe(stuck.length);
  expect(await sut.prune('conversation')).toBe(0);
  expect((await remaining()).size).toBe(recent.length + stuck.length);
});

it('prunes on its first pass, then at most every ten minutes', async () => {
  const expired = await rows(5, 10, 8);
  const sut = new OutboxRelay({ pool: relay.outbox.pool, warehouse: relay.warehouse, logger: createLogger('test', 'silent'), retentionMs: 7 * DAY_MS });
  await sut.drainAll();
  const left = await remaining();
  expect(expired.filter((id) => left.has(id))).toEqual([]);

  const later = await rows(2, 10, 8);
  await sut.drainAll();
  // Too soon for another prune: still there.
  const stillThere = await remaining();
  expect(later.every((id) => stillThere.has(id))).toBe(true);
});
