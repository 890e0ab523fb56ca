/**
 * The drop-off sweep on the conversation service's real Postgres schema: only an answer left with no rating,
 * resolution or follow-up past its window drops off; two replicas sweeping at once and a restarted process record
 * it once; and while knowledge cannot be reached the drop-off stays recorded and waits to be reported.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { KnowledgeClient } from '../../services/conversation/clients/knowledge';
import { OutcomeReporter } from '../../services/conversation/conversation/outcome-reporter';
import { openConversationDatabase } from '../../services/conversation/database';
import { DropOffSweep } from '../../services/conversation/satisfaction/drop-off-sweep';
import { InternalGraphQLClient } from '../../services/shared/internal-client';
import { createLogger } from '../../services/shared/logger';
import { ThrowawayDatabase, createThrowawayDatabase } from '../helpers/database';

jest.setTimeout(120_000);

let database: ThrowawayDatabase;
const open: DataSource[] = [];
const WINDOW_MS = 60_000;

/** A sweep on its own connection pool, as a replica (or a restarted process) has; knowledge is unreachable. */
async function replica(): Promise<{ db: DataSource; sut: DropOffSweep }> {
  const db = await openConversationDatabase(database.url);
  open.push(db);
  const knowledge = new KnowledgeClient(new InternalGraphQLClient('http://127.0.0.1:9/graphql', 'test-secret', 1_000));
  return { db, sut: new DropOffSweep(db, new OutcomeReporter(db, knowledge, createLogger('test', 'silent')), WINDOW_MS) };
}

beforeAll(async () => {
  database = await createThrowawayDatabase('loopdesk_it_drop_off');
});

afterAll(async () => {
  for (const db of open) await db.destroy();
  await database?.drop();
});

/** A conversation: the customer's question, then the AI's answer `ageMs` ago, then whatever `then` adds. */
async function answered(db: DataSource, workspaceId: string, ageMs: number, then: { status?: string; rating?: string; followUp?: boolean } = {}): Promise<string> {
  const [conversation] = await db.query(`INSERT INTO conversation.conversations (workspace_id, status, topic) VALUES ($1, $2, 'exports') RETURNING id`, [workspaceId, then.status ?? 'open']);
  const at = new Date(Date.now() - ageMs);
  await db.query(`INSERT INTO conversation.messages (workspace_id, conversation_id, author, text, created_at) VALUES ($1, $2, 'customer', 'how do I export?', $3)`, [workspaceId, conversation.id, at]);
  const [answer] = await db.query(
    `INSERT INTO conversation.messages (workspace_id, conversation_id, author, text, decision, confidence, topic, rating, created_at)
     VALUES ($1, $2, 'ai', 'Open Contacts and choose Export.', 'answered', 0.9, 'exports', $3, $4) RETURNING id`,
    [workspaceId, conversation.id, then.rating ?? null, at],
  );
  if (then.followUp) await db.query(`INSERT INTO conversation.messages (workspace_id, conversation_id, author, text) VALUES ($1, $2, 'customer', 'and to Excel?')`, [workspaceId, conversation.id]);
  return answer.id as string;
}

const stateOf = async (db: DataSource, ids: string[]) =>
  (await db.query(`SELECT id, outcome, drop_off_settled AS settled, dropped_off_at IS NOT NULL AS dropped, drop_off_reported AS reported FROM conversation.messages WHERE id = ANY($1::uuid[])`, [ids]))
    .reduce((acc: Record<string, unknown>, row: { id: string }) => ({ ...acc, [row.id]: row }), {});

const dropOffEvents = async (db: DataSource, workspaceId: string) =>
  Number((await db.query(`SELECT count(*) AS n FROM conversation.outbox_events WHERE workspace_id = $1 AND type = 'dropped_off'`, [workspaceId]))[0].n);

it('records only the answer nobody followed up, once, across replicas and a restart, and keeps it until knowledge takes it', async () => {
  const a = await replica();
  const b = await replica();
  const workspaceId = randomUUID();
  const left = await answered(a.db, workspaceId, 2 * WINDOW_MS);
  const rated = await answered(a.db, workspaceId, 2 * WINDOW_MS, { rating: 'up' });
  const followedUp = await answered(a.db, workspaceId, 2 * WINDOW_MS, { followUp: true });
  const resolved = await answered(a.db, workspaceId, 2 * WINDOW_MS, { status: 'resolved' });
  const handedOff = await answered(a.db, workspaceId, 2 * WINDOW_MS, { status: 'handed_off' });
  const recent = await answered(a.db, workspaceId, 1_000);

  // Two replicas at once: each settles what it locked; reporting then fails (knowledge is unreachable) for the
  // replica holding the drop-off (the other skips the locked row, or fails too if it comes after).
  const passes = await Promise.allSettled([a.sut.pass(), b.sut.pass()]);
  expect(passes.map((p) => p.status)).toContain('rejected');

  const state = await stateOf(a.db, [left, rated, followedUp, resolved, handedOff, recent]);
  expect(state[left]).toMatchObject({ outcome: 'dropped_off', settled: true, dropped: true, reported: false });
  for (const id of [rated, followedUp, resolved, handedOff]) expect(state[id]).toMatchObject({ outcome: null, settled: true, dropped: false });
  expect(state[recent]).toMatchObject({ settled: false, dropped: false });
  expect(await dropOffEvents(a.db, workspaceId)).toBe(1);

  // A restarted process (a new pool) sweeps again: nothing new is recorded; the drop-off still waits to be reported.
  await a.db.destroy();
  open.splice(open.indexOf(a.db), 1);
  const restarted = await replica();
  await expect(restarted.sut.pass()).rejects.toThrow();
  expect(await dropOffEvents(restarted.db, workspaceId)).toBe(1);
  expect((await stateOf(restarted.db, [left]))[left]).toMatchObject({ reported: false });

  // A workspace's own window is read when the sweep runs: set to a second, the recent answer is due.
  await restarted.db.query(`INSERT INTO conversation.satisfaction_settings (workspace_id, drop_off_window_ms) VALUES ($1, 500)`, [workspaceId]);
  await expect(restarted.sut.pass()).rejects.toThrow();
  expect((await stateOf(restarted.db, [recent]))[recent]).toMatchObject({ outcome: 'dropped_off', dropped: true });
  expect(await dropOffEvents(restarted.db, workspaceId)).toBe(2);
});
