/**
 * A hand-off is kept through crashes: the worker killed in the middle of applying a correction, and Temporal
 * down while a hand-off happens. Real processes, real Temporal dev server.
 */
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { escalationStateQuery, escalationWorkflowId } from '../../workflows/escalation-contract';
import { dataOf } from '../helpers/graphql';
import { eventually } from '../helpers/eventually';
import { TestStack, startTestStack } from '../helpers/stack';
import { createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(240_000);

const PAUSE_MS = 3_000;
let env: TestStack;
let pool: Pool;

const ASK = `mutation Ask($input: AskInput!) { ask(input: $input) { decision conversation { id } message { id } } }`;

beforeAll(async () => {
  // The worker pauses inside the correction's delivery step (after learning, before telling the customer),
  // which gives the test a window to kill it there.
  env = await startTestStack({ WORKER_PAUSE_BEFORE_DELIVERY_MS: String(PAUSE_MS) });
  pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
});

afterAll(async () => {
  await pool?.end();
  await env?.stop();
});

const count = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0].n as number;

it('a worker killed with SIGKILL while applying a correction: the cycle completes with one learned answer and one customer message', async () => {
  const ws = await createTestWorkspace(env, 'Crash');
  const asked = dataOf(await ws.as('widget', ASK, { input: { text: 'Can I rename my workspace?' } })).ask;
  expect(asked.decision).toBe('HANDED_OFF');
  const conversationId = asked.conversation.id;
  await eventually(() => count(`SELECT count(*)::int AS n FROM conversation.escalation_steps WHERE conversation_id = $1`, [conversationId]), (n) => n > 0);

  // The agent's request waits on the update; it may fail when the worker dies — what matters is the outcome.
  const correction = ws
    .as('agent', 'mutation($input: CorrectAnswerInput!) { correctAnswer(input: $input) { learning } }', {
      input: { messageId: asked.message.id, correctedText: 'Yes: Settings > General > Workspace name.' },
    })
    .catch((error: unknown) => error);
  // Learning is done and delivery is pausing: kill the worker there.
  await eventually(() => count(`SELECT count(*)::int AS n FROM knowledge.learning_events WHERE workspace_id = $1`, [ws.id]), (n) => n > 0);
  env.stack.processes.get('worker')!.kill('SIGKILL');
  await new Promise((resolve) => env.stack.processes.get('worker')!.once('exit', resolve));
  expect(await count(`SELECT count(*)::int AS n FROM conversation.messages WHERE conversation_id = $1 AND author = 'agent'`, [conversationId])).toBe(0);

  await env.stack.startProcess('worker');
  await correction;
  const agentMessages = await eventually(
    () => count(`SELECT count(*)::int AS n FROM conversation.messages WHERE conversation_id = $1 AND author = 'agent'`, [conversationId]),
    (n) => n > 0,
    60_000,
  );
  expect(agentMessages).toBe(1);
  // Only another attempt of the delivery activity could post a second message: count for good once the workflow
  // has no activity left to run.
  const connection = await Connection.connect({ address: env.temporalAddress });
  try {
    const handle = new Client({ connection }).workflow.getHandle(escalationWorkflowId(conversationId));
    const pendingActivities = await eventually(async () => (await handle.describe()).raw.pendingActivities?.length ?? 0, (n) => n === 0, 60_000);
    expect(pendingActivities).toBe(0);
  } finally {
    await connection.close();
  }
  expect(await count(`SELECT count(*)::int AS n FROM conversation.messages WHERE conversation_id = $1 AND author = 'agent'`, [conversationId])).toBe(1);
  expect(await count(`SELECT count(*)::int AS n FROM knowledge.knowledge_items WHERE workspace_id = $1 AND kind = 'learned_answer'`, [ws.id])).toBe(1);
  expect(await count(`SELECT count(*)::int AS n FROM knowledge.learning_events WHERE workspace_id = $1`, [ws.id])).toBe(1);
});

it('Temporal down while a hand-off happens: after it returns the escalation runs, none lost, none doubled', async () => {
  const ws = await createTestWorkspace(env, 'Outage');
  const failed = (line: string) => line.includes('escalation commands wait for Temporal');
  const failedBefore = new Set(env.logs.filter(failed));
  await env.temporal.outage();
  let conversationIds: string[] = [];
  try {
    for (const text of ['Can I pay by bank transfer?', 'Do you have an office in Lisbon?']) {
      const asked = dataOf(await ws.as('widget', ASK, { input: { text } })).ask;
      expect(asked.decision).toBe('HANDED_OFF');
      conversationIds.push(asked.conversation.id);
    }
    // The hand-offs wait in the command table, once the dispatcher has tried them against the outage (it logs
    // the first failure of a run of them).
    expect(await eventually(() => env.logs.some((line) => failed(line) && !failedBefore.has(line)), (seen) => seen)).toBe(true);
    expect(await count(`SELECT count(*)::int AS n FROM conversation.escalation_commands WHERE conversation_id = ANY($1::uuid[]) AND dispatched_at IS NULL`, [conversationIds])).toBe(2);
  } finally {
    await env.temporal.recover();
  }
  await eventually(
    () => count(`SELECT count(*)::int AS n FROM conversation.escalation_steps WHERE conversation_id = ANY($1::uuid[]) AND kind = 'offered'`, [conversationIds]),
    (n) => n === 2,
    60_000,
  );
  const connection = await Connection.connect({ address: env.temporalAddress });
  try {
    const client = new Client({ connection });
    for (const conversationId of conversationIds) {
      const runs = [];
      for await (const run of client.workflow.list({ query: `WorkflowId = '${escalationWorkflowId(conversationId)}'` })) runs.push(run);
      expect(runs).toHaveLength(1);
      const state = await client.workflow.getHandle(escalationWorkflowId(conversationId)).query(escalationStateQuery);
      expect(state.aiMessageIds).toHaveLength(1);
    }
  } finally {
    await connection.close();
  }
  expect(await count(`SELECT count(*)::int AS n FROM conversation.escalation_steps WHERE conversation_id = ANY($1::uuid[]) AND kind = 'offered'`, [conversationIds])).toBe(2);
  conversationIds = [];
});
