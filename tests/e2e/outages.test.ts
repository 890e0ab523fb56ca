/**
 * Honest errors: a subgraph that is down, or does not answer in time, reaches the client as UNAVAILABLE with
 * HTTP 503 and a Retry-After hint (something a front-end retries), never as INTERNAL_SERVER_ERROR; a query
 * spanning subgraphs keeps the data of those that answered. Real processes, stopped or frozen for real.
 */
import { dataOf } from '../helpers/graphql';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(180_000);

const SUBGRAPH_TIMEOUT_MS = 4_000;
const ASK = `mutation Ask($input: AskInput!) { ask(input: $input) { decision conversation { id } message { id } } }`;

let env: TestStack;
let ws: TestWorkspace;

beforeAll(async () => {
  env = await startTestStack({ SUBGRAPH_TIMEOUT_MS: String(SUBGRAPH_TIMEOUT_MS), UNAVAILABLE_RETRY_AFTER_SECONDS: '3' });
  ws = await createTestWorkspace(env, 'Outages');
});

afterAll(async () => {
  await env?.stop();
});

/** Runs `during` with a process stopped (deliberately: the supervisor does not restart it), then starts it again. */
async function withStopped<T>(name: 'conversation' | 'knowledge' | 'insights', during: () => Promise<T>): Promise<T> {
  await env.stack.stopProcess(name);
  try {
    return await during();
  } finally {
    await env.stack.startProcess(name);
  }
}

function expectUnavailable(result: Awaited<ReturnType<TestWorkspace['as']>>) {
  expect(result.status).toBe(503);
  expect(result.headers.get('retry-after')).toBe('3');
  expect(result.data ?? null).toBeNull();
  expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['UNAVAILABLE']);
  expect(result.errors?.[0]?.extensions?.details).toMatchObject({ retryAfterSeconds: 3 });
}

it('an ask while the conversation service is down is UNAVAILABLE with HTTP 503 and Retry-After, and works once it is back', async () => {
  const refused = await withStopped('conversation', () => ws.as('widget', ASK, { input: { text: 'How do I export my data?' } }));
  expectUnavailable(refused);
  expect(refused.errors?.[0]?.message).toMatch(/conversation service is unavailable/);

  const answered = dataOf(await ws.as('widget', ASK, { input: { text: 'How do I export my data?' } }));
  expect(answered.ask.conversation.id).toEqual(expect.any(String));
});

it('an ask while knowledge (a peer of conversation) is down is UNAVAILABLE with HTTP 503, and nothing is recorded', async () => {
  const text = `Where are my invoices? ${Date.now()}`;
  const refused = await withStopped('knowledge', () => ws.as('widget', ASK, { input: { text } }));
  expectUnavailable(refused);
  const recent = dataOf(await ws.as('agent', `{ inbox(filter: { statuses: [OPEN, HANDED_OFF], first: 50 }) { edges { node { id messages { text } } } } }`));
  const texts = recent.inbox.edges.flatMap((edge: { node: { messages: Array<{ text: string }> } }) => edge.node.messages.map((m) => m.text));
  expect(texts).not.toContain(text);
});

it('a subgraph that does not answer within the timeout is UNAVAILABLE with HTTP 503', async () => {
  const conversation = env.stack.processes.get('conversation')!;
  process.kill(conversation.pid!, 'SIGSTOP');
  let refused;
  const started = Date.now();
  try {
    refused = await ws.as('widget', ASK, { input: { text: 'Can I change my plan?' } });
  } finally {
    process.kill(conversation.pid!, 'SIGCONT');
  }
  expectUnavailable(refused);
  expect(Date.now() - started).toBeGreaterThanOrEqual(SUBGRAPH_TIMEOUT_MS - 100);
  // A frozen subgraph never answers: without the timeout this request would hang until the test's own timeout.
  expect(Date.now() - started).toBeLessThan(60_000);
});

it('insights being down does not fail a conversation read: the conversation comes back, the insights part is null with UNAVAILABLE', async () => {
  const asked = dataOf(await ws.as('widget', ASK, { input: { text: 'Do you have an API?' } })).ask;
  const READ = `query Read($id: ID!) {
    conversation(id: $id) { id status messages { author text } }
    workspace { name weeklyReport(isoWeek: "2026-W01") { isoWeek } }
  }`;
  const before = await ws.as('analyst', READ, { id: asked.conversation.id });
  expect(before.errors).toBeUndefined();

  const partial = await withStopped('insights', () => ws.as('analyst', READ, { id: asked.conversation.id }));
  expect(partial.status).toBe(200);
  expect(partial.data?.conversation).toEqual(before.data?.conversation);
  expect(partial.data?.workspace).toEqual({ name: 'Outages', weeklyReport: null });
  expect(partial.errors).toHaveLength(1);
  expect(partial.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
  expect(partial.errors?.[0]?.extensions?.details).toMatchObject({ service: 'insights', retryAfterSeconds: 3 });
  expect(partial.headers.get('retry-after')).toBe('3');
});
