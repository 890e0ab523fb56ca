/**
 * The escalation dispatcher on real Postgres and a real Temporal dev server: a hand-off command goes to Temporal
 * as soon as its transaction commits (the queuing statement NOTIFYs, the dispatcher LISTENs), not at the next
 * poll, which here is an hour away, with its offered step recorded under the run Temporal started (once, however
 * often it is sent); a rolled-back command is never announced nor sent; and after its listening connection is cut,
 * the dispatcher listens again and still sends at once.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { ESCALATION_COMMANDS_CHANNEL } from '../../services/conversation/escalation/escalation-commands';
import type { EscalationDispatcher } from '../../services/conversation/escalation/escalation-dispatcher';
import { EscalationInput, escalationWorkflowId, offeredStepKey } from '../../workflows/escalation-contract';
import { DispatchFixture, handedOffConversation, openDispatchFixture, queueHandOff, testDispatcher } from '../helpers/escalation-dispatch';

jest.setTimeout(120_000);

/** Far beyond any wait below: whatever is sent was sent because of a notification. */
const POLL_MS = 3_600_000;
/** How long a notified command may take to reach Temporal here (a busy shared machine included). */
const NOTIFIED_WITHIN_MS = 20_000;

let fixture: DispatchFixture;
let db: DataSource;
let admin: Pool;
let temporal: Client;
let dispatcher: EscalationDispatcher;

beforeAll(async () => {
  fixture = await openDispatchFixture('loopdesk_it_dispatch');
  ({ db, temporal } = fixture);
  admin = new Pool({ connectionString: fixture.url, max: 2 });
  dispatcher = testDispatcher(db, async () => temporal, `dispatch-${randomUUID()}`, { intervalMs: POLL_MS, listenUrl: fixture.url });
  dispatcher.start();
});

afterAll(async () => {
  await dispatcher?.stop();
  await admin?.end();
  await fixture?.close();
});

/** Resolves once a connection other than `not` is LISTENing (and idle, so the LISTEN has taken effect). */
async function listening(not?: number): Promise<number> {
  for (;;) {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1 AND state = 'idle' AND pid IS DISTINCT FROM $2`,
      [`LISTEN ${ESCALATION_COMMANDS_CHANNEL}`, not ?? null],
    );
    if (rows[0]) return rows[0].pid;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const conversation = (workspaceId: string) => handedOffConversation(db, workspaceId);

/** Resolves with the ms from commit until the workflow existed; rejects after NOTIFIED_WITHIN_MS. */
async function startedWithin(conversationId: string, committedAt: number): Promise<number> {
  const handle = temporal.workflow.getHandle(escalationWorkflowId(conversationId));
  for (;;) {
    const exists = await handle.describe().then(() => true, () => false);
    if (exists) return performance.now() - committedAt;
    if (performance.now() - committedAt > NOTIFIED_WITHIN_MS) throw new Error(`escalation-${conversationId} not started ${NOTIFIED_WITHIN_MS} ms after its command committed`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function handOff(workspaceId: string, conversationId: string): Promise<number> {
  await db.transaction((tx) => queueHandOff(tx, workspaceId, conversationId));
  return performance.now();
}

const dispatchedAt = async (conversationId: string) =>
  (await admin.query<{ dispatched_at: Date | null }>(`SELECT dispatched_at FROM conversation.escalation_commands WHERE conversation_id = $1`, [conversationId])).rows.map((r) => r.dispatched_at);

it('a committed hand-off starts its workflow at once, without waiting for the poll, and is marked dispatched', async () => {
  await listening();
  const workspaceId = randomUUID();
  const conversationId = await conversation(workspaceId);
  await startedWithin(conversationId, await handOff(workspaceId, conversationId));
  // Marked in the same transaction that sent it: awaited, since the mark commits after Temporal took the command.
  for (;;) {
    const marks = await dispatchedAt(conversationId);
    if (marks[0]) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(await dispatchedAt(conversationId)).toEqual([expect.any(Date)]);

  // The offered step is the run's, and the workflow was told not to record it again.
  const handle = temporal.workflow.getHandle(escalationWorkflowId(conversationId));
  const { runId } = await handle.describe();
  const steps = async () =>
    (await admin.query(`SELECT step_key, kind FROM conversation.escalation_steps WHERE conversation_id = $1`, [conversationId])).rows;
  expect(await steps()).toEqual([{ step_key: offeredStepKey(runId), kind: 'offered' }]);
  const started = (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
  const input = JSON.parse(Buffer.from(started!.input!.payloads![0]!.data!).toString('utf8')) as EscalationInput;
  expect(input).toMatchObject({ workspaceId, conversationId, offeredByDispatcher: true });
  const events = await admin.query(`SELECT type, payload FROM conversation.outbox_events WHERE workspace_id = $1`, [workspaceId]);
  expect(events.rows).toEqual([{ type: 'escalation_offered', payload: { conversationId, topic: 'exports' } }]);

  // A second hand-off of the same conversation joins the run: still one offered step.
  await handOff(workspaceId, conversationId);
  for (;;) {
    const marks = await dispatchedAt(conversationId);
    if (marks.length === 2 && marks.every(Boolean)) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(await steps()).toEqual([{ step_key: offeredStepKey(runId), kind: 'offered' }]);
});

it('a rolled-back hand-off is neither announced nor sent; the next committed one still goes out at once', async () => {
  await listening();
  const workspaceId = randomUUID();
  const rolledBack = await conversation(workspaceId);
  await db
    .transaction(async (tx) => {
      await queueHandOff(tx, workspaceId, rolledBack);
      throw new Error('the ask failed after queuing');
    })
    .catch(() => undefined);
  const committed = await conversation(workspaceId);
  await startedWithin(committed, await handOff(workspaceId, committed));
  expect(await dispatchedAt(rolledBack)).toEqual([]);
  expect(await temporal.workflow.getHandle(escalationWorkflowId(rolledBack)).describe().then(() => 'started', () => 'not started')).toBe('not started');
});

it('after its listening connection is cut, the dispatcher listens again and sends at once', async () => {
  const before = await listening();
  await admin.query(`SELECT pg_terminate_backend($1)`, [before]);
  await listening(before);
  const workspaceId = randomUUID();
  const conversationId = await conversation(workspaceId);
  await startedWithin(conversationId, await handOff(workspaceId, conversationId));
});
