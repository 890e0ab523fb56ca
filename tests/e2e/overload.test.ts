/**
 * Load shedding on the real stack: the conversation process works on at most MAX_CONCURRENT_ASKS asks at once
 * (here 2; the ceiling holds with the learned bound on, as in production) and refuses the rest at once with
 * UNAVAILABLE, a retry-after and, through the gateway, HTTP 503 and a Retry-After header. A refused ask has written nothing: Postgres holds exactly the accepted asks. The language
 * model (a local stand-in) holds its answers until the test lets them go, so the accepted asks are still in
 * flight when the others arrive, however fast or slow the machine is.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { FakeModelServer, reply } from '../helpers/fake-model-server';
import { GraphQLResult, codeOf, dataOf } from '../helpers/graphql';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(180_000);

const BOUND = 2;
const ASKS = 8;
const ASK = `mutation Ask($input: AskInput!) {
  ask(input: $input) { decision conversation { id } message { id } }
}`;
const QUESTION = 'What are the refund times to my card?';

const model = new FakeModelServer();
let env: TestStack;
let ws: TestWorkspace;
let pool: Pool;
/** Model requests whose answers are held back, and whether new ones are held too. */
const held: Array<{ passage: string; response: ServerResponse }> = [];
let holding = true;

const answer = ({ passage, response }: { passage: string; response: ServerResponse }) =>
  reply(response, { answer: 'Refunds take up to five business days to reach your card.', citations: [passage] });

beforeAll(async () => {
  const baseUrl = await model.start();
  model.respondWith(({ body }, response) => {
    const passage = /<passage id="([^"]+)"/.exec(body.messages.find((m) => m.role === 'user')!.content)?.[1] ?? 'p1';
    if (holding) held.push({ passage, response });
    else answer({ passage, response });
  });
  env = await startTestStack({ MAX_CONCURRENT_ASKS: String(BOUND), ASK_LATENCY_TOLERANCE: '2', OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: baseUrl, OPENAI_MODEL: 'test-model', ANSWER_MODEL_TIMEOUT_MS: '60000' });
  pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  ws = await createTestWorkspace(env, 'Overload');
  dataOf(
    await ws.as('admin', 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', {
      input: { title: 'Refund times', body: 'Refunds reach your card within five business days after we approve them.' },
    }),
  );
});

afterAll(async () => {
  holding = false;
  held.splice(0).forEach(answer);
  await pool?.end();
  await env?.stop();
  await model.stop();
});

async function until(done: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

/** What Postgres holds for the workspace: every table an ask writes to. */
async function written(workspaceId: string) {
  const { rows } = await pool.query(
    `SELECT
       (SELECT count(*)::int FROM conversation.conversations WHERE workspace_id = $1) AS conversations,
       (SELECT count(*)::int FROM conversation.messages WHERE workspace_id = $1) AS messages,
       (SELECT count(*)::int FROM conversation.outbox_events WHERE workspace_id = $1 AND type = 'question_asked') AS "questionsAsked",
       (SELECT count(DISTINCT payload->>'conversationId')::int FROM conversation.outbox_events WHERE workspace_id = $1) AS "conversationsWithEvents",
       (SELECT count(*)::int FROM conversation.idempotency_keys WHERE workspace_id = $1) AS "idempotencyKeys",
       (SELECT count(*)::int FROM conversation.escalation_commands WHERE workspace_id = $1) AS "escalationCommands"`,
    [workspaceId],
  );
  return rows[0];
}

const expectedFor = (accepted: number) => ({
  conversations: accepted,
  messages: 2 * accepted,
  questionsAsked: accepted,
  conversationsWithEvents: accepted,
  idempotencyKeys: accepted,
  escalationCommands: 0,
});

it('past MAX_CONCURRENT_ASKS, asks are refused with UNAVAILABLE, HTTP 503 and Retry-After, and leave nothing behind; the accepted ones are answered', async () => {
  const keys = Array.from({ length: ASKS }, () => randomUUID());
  const results: Array<GraphQLResult | undefined> = new Array(ASKS);
  const asks = keys.map((idempotencyKey, i) => ws.as('widget', ASK, { input: { text: QUESTION, idempotencyKey } }).then((result) => (results[i] = result)));

  // Two asks are with the model; every other one has come back already.
  await until(() => held.length === BOUND && results.filter(Boolean).length === ASKS - BOUND, `${BOUND} asks wait on the model and the rest were refused`);
  const refused = results.flatMap((result, i) => (result ? [{ result, key: keys[i] }] : []));
  for (const { result } of refused) {
    expect(result.status).toBe(503);
    expect(result.headers.get('retry-after')).toBe('1');
    expect(result.data ?? null).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toEqual({ code: 'UNAVAILABLE', details: { retryAfterSeconds: 1 }, serviceName: 'conversation' });
    expect(result.errors![0].message).toMatch(/as many questions as it can/);
  }
  // The accepted asks write their turn once the model has answered: nothing is in Postgres yet.
  expect(await written(ws.id)).toEqual(expectedFor(0));

  holding = false;
  held.splice(0).forEach(answer);
  await Promise.all(asks);
  const accepted = results.filter((result) => !result!.errors);
  expect(accepted).toHaveLength(BOUND);
  for (const result of accepted) expect(dataOf(result!).ask.decision).toBe('ANSWERED');
  expect(await written(ws.id)).toEqual(expectedFor(BOUND));

  // A refused ask retried with its key, once there is room, is answered as a first attempt: its key was never stored.
  const retried = await ws.as('widget', ASK, { input: { text: QUESTION, idempotencyKey: refused[0].key } });
  expect(codeOf(retried)).toBeUndefined();
  expect(dataOf(retried).ask.decision).toBe('ANSWERED');
  expect(await written(ws.id)).toEqual(expectedFor(BOUND + 1));
});
