/**
 * The model path end to end: the conversation service configured with an OpenAI-compatible endpoint (a local
 * server started here), asked through the gateway.
 */
import { dataOf } from '../helpers/graphql';
import { FakeModelServer, reply } from '../helpers/fake-model-server';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(180_000);

const model = new FakeModelServer();
let env: TestStack;
let ws: TestWorkspace;

const ASK = `mutation Ask($input: AskInput!) {
  ask(input: $input) { decision message { text citations { passage knowledgeItem { id title } } } }
}`;

beforeAll(async () => {
  const baseUrl = await model.start();
  env = await startTestStack({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: baseUrl, OPENAI_MODEL: 'test-model', ANSWER_MODEL_TIMEOUT_MS: '600' });
  ws = await createTestWorkspace(env, 'Model');
  dataOf(await ws.as('admin', 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', {
    input: { title: 'Refund times', body: 'Refunds reach your card within five business days after we approve them.' },
  }));
  dataOf(await ws.as('admin', 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', {
    input: { title: 'Refund eligibility', body: 'You can ask for a refund within 30 days of a purchase.' },
  }));
});

afterAll(async () => {
  await env?.stop();
  await model.stop();
});

const passageIdsIn = (content: string) => [...content.matchAll(/<passage id="([^"]+)"/g)].map((m) => m[1]!);

it('the model writes the answer and its citations are kept', async () => {
  model.respondWith(({ body }, response) => {
    const ids = passageIdsIn(body.messages.find((m) => m.role === 'user')!.content);
    reply(response, { answer: 'Refunds usually take up to five business days to reach your card.', citations: [ids[0]!] });
  });
  const turn = dataOf(await ws.as('widget', ASK, { input: { text: 'What are the refund times to my card?' } })).ask;
  expect(turn.decision).toBe('ANSWERED');
  expect(turn.message.text).toBe('Refunds usually take up to five business days to reach your card.');
  expect(turn.message.citations).toHaveLength(1);
  expect(turn.message.citations[0].knowledgeItem.title).toBe('Refund times');
  const sent = model.requests.at(-1)!;
  expect(sent.model).toBe('test-model');
  expect(sent.messages[0]!.role).toBe('system');
  expect(sent.messages.find((m) => m.role === 'user')!.content).toContain('<question>');
});

it('a model slower than the timeout falls back to the grounded extractive answer', async () => {
  model.respondWith((_request, response) => {
    setTimeout(() => reply(response, { answer: 'too late', citations: [] }), 3_000);
  });
  const started = Date.now();
  const turn = dataOf(await ws.as('widget', ASK, { input: { text: 'What are the refund times to my card?' } })).ask;
  expect(Date.now() - started).toBeLessThan(2_500);
  expect(turn.decision).toBe('ANSWERED');
  expect(turn.message.text).toContain('five business days');
  expect(turn.message.citations[0].knowledgeItem.title).toBe('Refund times');
});
