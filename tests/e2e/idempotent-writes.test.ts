/**
 * Idempotency keys on client writes: a retried ask, signal or agent action with the same key returns the first
 * result and writes nothing new — also when the process was killed with SIGKILL after the write committed and
 * before its response left. Real processes, real Postgres; the supervisor brings the killed process back.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { eventually } from '../helpers/eventually';
import { FakeModelServer, reply } from '../helpers/fake-model-server';
import { codeOf, dataOf } from '../helpers/graphql';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(240_000);

const ASK = `mutation Ask($input: AskInput!) {
  ask(input: $input) { decision conversationSecret conversation { id } message { id text } }
}`;
const RATE = `mutation Rate($input: RateAnswerInput!) { rateAnswer(input: $input) { id rating } }`;
const REQUEST_HUMAN = `mutation Human($input: ConversationRef!) { requestHuman(input: $input) { id status } }`;
const REPLY = `mutation Reply($input: ReplyInput!) { replyToConversation(input: $input) { id text } }`;
const CORRECT = `mutation Correct($input: CorrectAnswerInput!) { correctAnswer(input: $input) { learning learnedAnswer { id } message { id author text } } }`;
const QUESTION = 'What are the refund times to my card?';

/**
 * Tells this file's questions apart (rows are counted by text). A sequence, not a random suffix: retrieval's
 * confidence depends on the question's terms, and a random hex suffix (read by Postgres's parser as numbers,
 * words or both) moved it across the day-one bar now and then, so the ask was handed off without the model.
 */
let questionNumber = 1000;
const nextNumber = () => ++questionNumber;

const model = new FakeModelServer();
let env: TestStack;
let ws: TestWorkspace;
let pool: Pool;

beforeAll(async () => {
  const baseUrl = await model.start();
  env = await startTestStack(
    // The worker waits before delivering a correction, so a client can give up while one is being applied.
    { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: baseUrl, OPENAI_MODEL: 'test-model', ANSWER_MODEL_TIMEOUT_MS: '20000', WORKER_PAUSE_BEFORE_DELIVERY_MS: '4000' },
    { restart: { initialBackoffMs: 100 } },
  );
  pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  ws = await createTestWorkspace(env, 'Idempotency');
  dataOf(await ws.as('admin', 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', {
    input: { title: 'Refund times', body: 'Refunds reach your card within five business days after we approve them.' },
  }));
  answerAfter(0);
});

afterAll(async () => {
  await pool?.end();
  await env?.stop();
  await model.stop();
});

/** The model answers (citing the first passage) after `delayMs`, and first calls `onRequest`. */
function answerAfter(delayMs: number, onRequest: () => void = () => undefined): void {
  model.respondWith(({ body }, response) => {
    onRequest();
    const passage = /<passage id="([^"]+)"/.exec(body.messages.find((m) => m.role === 'user')!.content)?.[1] ?? 'p1';
    setTimeout(() => reply(response, { answer: 'Refunds take up to five business days to reach your card.', citations: [passage] }), delayMs);
  });
}

const count = async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows[0].n as number;
const questionsAsked = (workspaceId: string, text: string) =>
  count(`SELECT count(*)::int AS n FROM conversation.messages WHERE workspace_id = $1 AND author = 'customer' AND text = $2`, [workspaceId, text]);
const askedEvents = (workspaceId: string, text: string) =>
  count(`SELECT count(*)::int AS n FROM conversation.outbox_events WHERE workspace_id = $1 AND type = 'question_asked' AND payload->>'text' = $2`, [workspaceId, text]);

const until = <T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> => eventually(probe, done, timeoutMs, 25);

const conversationReady = () =>
  fetch(`http://127.0.0.1:${env.stack.ports.conversation}/ready`).then(
    (r) => r.status === 200,
    () => false,
  );

it('an ask retried with the same key after its process was killed mid-request (write committed, response lost) is recorded once', async () => {
  const text = `${QUESTION} (order ${nextNumber()})`;
  const key = randomUUID();
  const knowledge = env.stack.processes.get('knowledge')!;
  // Once the model is asked, retrieval is over: freezing knowledge then holds the ask after its commit, in the
  // call that tells knowledge the answer was shown — the window in which the process is killed.
  let frozen = false;
  answerAfter(200, () => {
    process.kill(knowledge.pid!, 'SIGSTOP');
    frozen = true;
  });
  const killed = env.stack.processes.get('conversation')!;
  const firstAttempt = ws.as('widget', ASK, { input: { text, idempotencyKey: key } });
  try {
    expect(await until(() => questionsAsked(ws.id, text), (n) => n > 0)).toBe(1);
    expect(frozen).toBe(true);
    process.kill(killed.pid!, 'SIGKILL');
  } finally {
    process.kill(knowledge.pid!, 'SIGCONT');
    answerAfter(0);
  }
  const lost = await firstAttempt;
  expect(lost.status).toBe(503);
  expect(codeOf(lost)).toBe('UNAVAILABLE');

  // The supervisor restarts the conversation service; the client retries as told.
  expect(await until(async () => env.stack.processes.get('conversation') !== killed && (await conversationReady()), (ok) => ok)).toBe(true);
  const retried = dataOf(await ws.as('widget', ASK, { input: { text, idempotencyKey: key } })).ask;
  const again = dataOf(await ws.as('widget', ASK, { input: { text, idempotencyKey: key } })).ask;
  expect(again).toEqual(retried);
  expect(retried.decision).toBe('ANSWERED');

  expect(await questionsAsked(ws.id, text)).toBe(1);
  expect(await askedEvents(ws.id, text)).toBe(1);
  const stored = await pool.query(`SELECT m.id FROM conversation.messages m WHERE m.conversation_id = $1 AND m.author = 'ai'`, [retried.conversation.id]);
  expect(stored.rows.map((row) => row.id)).toEqual([retried.message.id]);
});

it('an ask killed before it committed is done by its retry, once', async () => {
  const text = `${QUESTION} (order ${nextNumber()})`;
  const key = randomUUID();
  const killed = env.stack.processes.get('conversation')!;
  let modelAsked = false;
  answerAfter(5_000, () => {
    modelAsked = true;
    process.kill(killed.pid!, 'SIGKILL');
  });
  const lost = await ws.as('widget', ASK, { input: { text, idempotencyKey: key } });
  answerAfter(0);
  expect(modelAsked).toBe(true);
  expect(codeOf(lost)).toBe('UNAVAILABLE');
  expect(await questionsAsked(ws.id, text)).toBe(0);

  await until(async () => env.stack.processes.get('conversation') !== killed && (await conversationReady()), (ok) => ok);
  const first = dataOf(await ws.as('widget', ASK, { input: { text, idempotencyKey: key } })).ask;
  const second = dataOf(await ws.as('widget', ASK, { input: { text, idempotencyKey: key } })).ask;
  expect(second.message.id).toBe(first.message.id);
  expect(await questionsAsked(ws.id, text)).toBe(1);
});

it('concurrent attempts with one key record one ask and all return it', async () => {
  const text = `${QUESTION} (concurrent ${nextNumber()})`;
  const key = randomUUID();
  answerAfter(300);
  const attempts = await Promise.all([1, 2, 3].map(() => ws.as('widget', ASK, { input: { text, idempotencyKey: key } })));
  answerAfter(0);
  const turns = attempts.map((attempt) => dataOf(attempt).ask);
  expect(new Set(turns.map((turn) => turn.message.id)).size).toBe(1);
  expect(await questionsAsked(ws.id, text)).toBe(1);
});

it("an anonymous visitor's retried first ask gets its conversation secret back, and continuing works", async () => {
  const key = randomUUID();
  const text = `${QUESTION} (visitor ${nextNumber()})`;
  const first = dataOf(await ws.as('widget', ASK, { input: { text, idempotencyKey: key } })).ask;
  const retried = dataOf(await ws.as('widget', ASK, { input: { text, idempotencyKey: key } })).ask;
  expect(first.conversationSecret).toEqual(expect.any(String));
  expect(retried.conversationSecret).toBe(first.conversationSecret);
  const followUp = await ws.as('widget', ASK, { input: { text: 'And to a bank account?', conversationId: first.conversation.id, conversationSecret: retried.conversationSecret } });
  expect(dataOf(followUp).ask.conversation.id).toBe(first.conversation.id);
});

it('the same key with a different request is BAD_USER_INPUT and writes nothing', async () => {
  const key = randomUUID();
  const text = `${QUESTION} (payload ${nextNumber()})`;
  dataOf(await ws.as('widget', ASK, { input: { text, idempotencyKey: key } }));
  const misused = await ws.as('widget', ASK, { input: { text: `${text} and more`, idempotencyKey: key } });
  expect(codeOf(misused)).toBe('BAD_USER_INPUT');
  expect(misused.errors?.[0]?.message).toMatch(/already used for a different request/);
  expect(await questionsAsked(ws.id, `${text} and more`)).toBe(0);
});

it('a malformed key is BAD_USER_INPUT', async () => {
  const refused = await ws.as('widget', ASK, { input: { text: QUESTION, idempotencyKey: 'short' } });
  expect(codeOf(refused)).toBe('BAD_USER_INPUT');
});

it('signals and agent actions replay with their key: a second rating, hand-off request or reply writes nothing and is no CONFLICT', async () => {
  const turn = dataOf(await ws.as('widget', ASK, { input: { text: `${QUESTION} (signals ${nextNumber()})`, page: '/billing/refunds' } })).ask;
  const secret = turn.conversationSecret;

  const rateKey = randomUUID();
  const rated = dataOf(await ws.as('widget', RATE, { input: { messageId: turn.message.id, rating: 'UP', conversationSecret: secret, idempotencyKey: rateKey } })).rateAnswer;
  expect(dataOf(await ws.as('widget', RATE, { input: { messageId: turn.message.id, rating: 'UP', conversationSecret: secret, idempotencyKey: rateKey } })).rateAnswer).toEqual(rated);
  // Without the key the second rating is what it always was: a CONFLICT.
  expect(codeOf(await ws.as('widget', RATE, { input: { messageId: turn.message.id, rating: 'UP', conversationSecret: secret } }))).toBe('CONFLICT');
  expect(await count(`SELECT count(*)::int AS n FROM conversation.outbox_events WHERE type = 'answer_rated' AND payload->>'messageId' = $1`, [turn.message.id])).toBe(1);
  // The rating carries the page of the question it is about, so insights place the friction without a lookup.
  expect(await count(`SELECT count(*)::int AS n FROM conversation.outbox_events WHERE type = 'answer_rated' AND payload->>'messageId' = $1 AND payload->>'page' = '/billing/refunds'`, [turn.message.id])).toBe(1);

  const humanKey = randomUUID();
  const handedOff = dataOf(await ws.as('widget', REQUEST_HUMAN, { input: { conversationId: turn.conversation.id, conversationSecret: secret, idempotencyKey: humanKey } })).requestHuman;
  expect(handedOff.status).toBe('HANDED_OFF');
  expect(dataOf(await ws.as('widget', REQUEST_HUMAN, { input: { conversationId: turn.conversation.id, conversationSecret: secret, idempotencyKey: humanKey } })).requestHuman).toEqual(handedOff);
  expect(await count(`SELECT count(*)::int AS n FROM conversation.escalation_commands WHERE conversation_id = $1 AND kind = 'hand_off'`, [turn.conversation.id])).toBe(1);
  expect(await count(`SELECT count(*)::int AS n FROM conversation.outbox_events WHERE type = 'escalated' AND payload->>'conversationId' = $1 AND payload->>'page' = '/billing/refunds'`, [turn.conversation.id])).toBe(1);

  const replyKey = randomUUID();
  const replied = dataOf(await ws.as('agent', REPLY, { input: { conversationId: turn.conversation.id, text: 'Let me check that for you.', idempotencyKey: replyKey } })).replyToConversation;
  expect(dataOf(await ws.as('agent', REPLY, { input: { conversationId: turn.conversation.id, text: 'Let me check that for you.', idempotencyKey: replyKey } })).replyToConversation).toEqual(replied);
  expect(await count(`SELECT count(*)::int AS n FROM conversation.messages WHERE conversation_id = $1 AND author = 'agent'`, [turn.conversation.id])).toBe(1);
});

it('a key does not let another role in: an analyst sending an ask or a reply with a key is FORBIDDEN', async () => {
  const turn = dataOf(await ws.as('widget', ASK, { input: { text: QUESTION } })).ask;
  expect(codeOf(await ws.as('analyst', ASK, { input: { text: QUESTION, idempotencyKey: randomUUID() } }))).toBe('FORBIDDEN');
  expect(codeOf(await ws.as('analyst', REPLY, { input: { conversationId: turn.conversation.id, text: 'hi', idempotencyKey: randomUUID() } }))).toBe('FORBIDDEN');
  expect(codeOf(await ws.as('widget', REPLY, { input: { conversationId: turn.conversation.id, text: 'hi', idempotencyKey: randomUUID() } }))).toBe('FORBIDDEN');
});

it("keys are scoped to a workspace: another workspace's caller with the same key and request gets its own write, never the first one's", async () => {
  const other = await createTestWorkspace(env, 'Idempotency elsewhere');
  const key = randomUUID();
  const text = `${QUESTION} (scope ${nextNumber()})`;
  const mine = dataOf(await ws.as('widget', ASK, { input: { text, idempotencyKey: key } })).ask;
  const theirs = dataOf(await other.as('widget', ASK, { input: { text, idempotencyKey: key } })).ask;
  expect(theirs.conversation.id).not.toBe(mine.conversation.id);
  expect(theirs.conversationSecret).not.toBe(mine.conversationSecret);
  expect(await questionsAsked(other.id, text)).toBe(1);
  expect(await questionsAsked(ws.id, text)).toBe(1);
  // And a foreign workspace cannot use a key to reach this workspace's conversation.
  const foreignReply = await other.as('agent', REPLY, { input: { conversationId: mine.conversation.id, text: 'hi', idempotencyKey: randomUUID() } });
  expect(codeOf(foreignReply)).toBe('NOT_FOUND');
});

it('a correction retried with its key after its process was killed mid-request (applied by the workflow, response lost) returns that correction, applied once', async () => {
  const asked = dataOf(await ws.as('widget', ASK, { input: { text: `Is there a dark mode in the mobile app? (${nextNumber()})` } })).ask;
  expect(asked.decision).toBe('HANDED_OFF');
  const input = { messageId: asked.message.id, correctedText: 'Yes: Profile > Appearance > Dark, on every platform.', idempotencyKey: randomUUID() };
  const learned = () => count(`SELECT count(*)::int AS n FROM knowledge.learning_events WHERE workspace_id = $1 AND idempotency_key = $2`, [ws.id, `correction:${asked.message.id}`]);

  // Knowledge has learned it and the worker holds the delivery: the conversation process dies waiting for the
  // workflow's answer, so the key is never recorded; the workflow finishes the correction on its own.
  const killed = env.stack.processes.get('conversation')!;
  const firstAttempt = ws.as('agent', CORRECT, { input });
  expect(await until(learned, (n) => n > 0, 60_000)).toBe(1);
  process.kill(killed.pid!, 'SIGKILL');
  expect(codeOf(await firstAttempt)).toBe('UNAVAILABLE');
  expect(await until(async () => env.stack.processes.get('conversation') !== killed && (await conversationReady()), (ok) => ok, 60_000)).toBe(true);

  // The client retries with the same key, as the README says: UNAVAILABLE while the workflow is still applying
  // it (no CONFLICT with itself), then the correction that was made.
  const seen: string[] = [];
  const retried = await until(
    async () => {
      const result = await ws.as('agent', CORRECT, { input });
      seen.push(codeOf(result) ?? 'ok');
      if (result.errors) await sleep(500);
      return result;
    },
    (result) => !result.errors,
    60_000,
  );
  expect(seen.filter((code) => code !== 'UNAVAILABLE')).toEqual(['ok']);
  const correction = dataOf(retried).correctAnswer;
  expect(correction).toMatchObject({ learning: 'CREATED', message: { author: 'AGENT', text: input.correctedText } });
  expect(dataOf(await ws.as('agent', CORRECT, { input })).correctAnswer).toEqual(correction);

  expect(await learned()).toBe(1);
  expect(await count(`SELECT count(*)::int AS n FROM conversation.messages WHERE corrects_message_id = $1`, [asked.message.id])).toBe(1);
  expect(await count(`SELECT count(*)::int AS n FROM conversation.outbox_events WHERE type = 'answer_corrected' AND payload->>'correctedMessageId' = $1`, [asked.message.id])).toBe(1);
  // Without a key, a second correction of the same answer is what it always was: a CONFLICT.
  expect(codeOf(await ws.as('agent', CORRECT, { input: { messageId: input.messageId, correctedText: input.correctedText } }))).toBe('CONFLICT');
});
