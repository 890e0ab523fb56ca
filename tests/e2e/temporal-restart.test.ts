/**
 * The Temporal dev server killed with SIGKILL and started again on the same SQLite file and port, as a
 * supervisor would: asks go on meanwhile, a correction (a workflow update) is UNAVAILABLE while it is away, and
 * once it is back the worker polls again, the dispatcher starts the hand-offs queued meanwhile, the workflows
 * started before the crash take their corrections, and no escalation is lost or started twice.
 */
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { ESCALATION_WORKFLOW, escalationWorkflowId } from '../../workflows/escalation-contract';
import { eventually } from '../helpers/eventually';
import { codeOf, dataOf } from '../helpers/graphql';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(300_000);

const ASK = `mutation Ask($input: AskInput!) { ask(input: $input) { decision conversation { id } message { id } } }`;
const CORRECT = `mutation Correct($input: CorrectAnswerInput!) { correctAnswer(input: $input) { learning message { author } } }`;

let env: TestStack;
let ws: TestWorkspace;
let pool: Pool;

beforeAll(async () => {
  env = await startTestStack();
  ws = await createTestWorkspace(env, 'Temporal restart');
  pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
});

afterAll(async () => {
  for (const line of env?.logs.filter((l) => l.startsWith('[stack]')) ?? []) process.stderr.write(`${line}\n`);
  await pool?.end();
  await env?.stop();
});

const until = <T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 90_000): Promise<T> => eventually(probe, done, timeoutMs, 250);

const count = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0].n as number;
const offered = (conversationId: string) => count(`SELECT count(*)::int AS n FROM conversation.escalation_steps WHERE conversation_id = $1 AND kind = 'offered'`, [conversationId]);
const workerReady = () =>
  fetch(`http://127.0.0.1:${env.stack.ports.worker}/ready`, { signal: AbortSignal.timeout(5_000) }).then(
    (response) => response.status === 200,
    () => false,
  );

async function handOff(text: string) {
  const turn = dataOf(await ws.as('widget', ASK, { input: { text } })).ask;
  expect(turn.decision).toBe('HANDED_OFF');
  return { conversationId: turn.conversation.id as string, messageId: turn.message.id as string };
}

/** Retries as a front-end would (UNAVAILABLE only) until the correction is applied; returns the codes seen on the way. */
async function correctWithRetries(messageId: string, correctedText: string) {
  const seen: string[] = [];
  const result = await until(
    async () => {
      const attempt = await ws.as('agent', CORRECT, { input: { messageId, correctedText } });
      seen.push(codeOf(attempt) ?? 'ok');
      return attempt;
    },
    (attempt) => codeOf(attempt) !== 'UNAVAILABLE',
  );
  return { result, seen };
}

it('after a SIGKILL and a restart on the same data, asks never stopped, and workers, dispatcher and corrections carry on with every escalation started once', async () => {
  const before = await handOff('Can I rename my workspace after the trial?');
  expect(await until(() => offered(before.conversationId), (n) => n > 0)).toBe(1);

  await env.temporal.crash();
  // Asks do not need Temporal: the hand-off waits in the conversation service's queue.
  const during = await handOff('Is there an audit log for deleted projects?');
  const refused = await ws.as('agent', CORRECT, { input: { messageId: before.messageId, correctedText: 'Yes: Settings > General > Workspace name.' } });
  expect(codeOf(refused)).toBe('UNAVAILABLE');
  expect(refused.status).toBe(503);

  await env.temporal.recover();
  expect(await until(workerReady, (ready) => ready)).toBe(true);
  // The dispatcher starts the hand-off queued during the outage, and the worker runs it.
  expect(await until(() => offered(during.conversationId), (n) => n > 0)).toBe(1);

  // The workflow started before the crash kept its state in the SQLite file and takes its correction.
  const first = await correctWithRetries(before.messageId, 'Yes: Settings > General > Workspace name.');
  expect(dataOf(first.result).correctAnswer).toEqual({ learning: 'CREATED', message: { author: 'AGENT' } });
  expect(first.seen.filter((code) => code !== 'UNAVAILABLE')).toEqual(['ok']);
  const second = await correctWithRetries(during.messageId, 'Yes: Settings > Security > Audit log keeps deleted projects for 90 days.');
  expect(dataOf(second.result).correctAnswer).toEqual({ learning: 'CREATED', message: { author: 'AGENT' } });

  const connection = await Connection.connect({ address: env.temporalAddress });
  try {
    const client = new Client({ connection });
    for (const { conversationId } of [before, during]) {
      const runs = [];
      for await (const run of client.workflow.list({ query: `WorkflowType = '${ESCALATION_WORKFLOW}' AND WorkflowId = '${escalationWorkflowId(conversationId)}'` })) runs.push(run.runId);
      expect(runs).toHaveLength(1);
      expect(await offered(conversationId)).toBe(1);
    }
  } finally {
    await connection.close();
  }
  // One hand-off each, both dispatched.
  expect(await count(`SELECT count(*)::int AS n FROM conversation.escalation_commands WHERE kind = 'hand_off' AND conversation_id = ANY($1::uuid[]) AND dispatched_at IS NOT NULL`, [[before.conversationId, during.conversationId]])).toBe(2);
});
