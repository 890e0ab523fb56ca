/**
 * Languages with an answer model configured (a local OpenAI-compatible server started here): a question in a
 * language the knowledge is not written in is translated into the knowledge's language for retrieval, answered in
 * the customer's language, and its citations say which language they were translated from. When the translation
 * fails, the question is handed off as UNSUPPORTED_LANGUAGE in the customer's language.
 */
import { systemMessage } from '../../services/conversation/language/system-messages';
import { dataOf } from '../helpers/graphql';
import { ChatRequest, FakeModelServer, completion, reply } from '../helpers/fake-model-server';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(180_000);

const model = new FakeModelServer();
let env: TestStack;
let ws: TestWorkspace;
let refundTimesId: string;

const ASK = `mutation($input: AskInput!) {
  ask(input: $input) { decision handOffReason conversation { language } message { text citations { translatedFrom knowledgeItem { id locale } } } }
}`;
const GERMAN_QUESTION = 'Wie lange dauert eine Rückerstattung auf meine Karte?';
const GERMAN_ANSWER = 'Rückerstattungen erreichen Ihre Karte innerhalb von fünf Werktagen, nachdem wir sie genehmigt haben.';

const isTranslation = (body: ChatRequest) => body.response_format.json_schema.name === 'question_translation';
const userContent = (body: ChatRequest) => body.messages.find((m) => m.role === 'user')!.content;

beforeAll(async () => {
  const baseUrl = await model.start();
  env = await startTestStack({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: baseUrl, OPENAI_MODEL: 'test-model', ANSWER_MODEL_TIMEOUT_MS: '2000' });
  ws = await createTestWorkspace(env, 'Model languages');
  refundTimesId = dataOf(
    await ws.as('admin', 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', {
      input: { title: 'Refund times', body: 'Refunds reach your card within five business days after we approve them.' },
    }),
  ).createArticle.id;
  dataOf(
    await ws.as('admin', 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', {
      input: { title: 'Changing your card PIN', body: 'Change your PIN in the app under Card > Security > Change PIN.' },
    }),
  );
});

afterAll(async () => {
  await env?.stop();
  await model.stop();
});

it("answers a German question from the English article, in German, and the citation says it was translated from English", async () => {
  model.respondWith(({ body }, response) => {
    if (isTranslation(body)) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion(JSON.stringify({ translation: 'What are the refund times to my card?' }))));
      return;
    }
    const ids = [...userContent(body).matchAll(/<passage id="([^"]+)"/g)].map((m) => m[1]!);
    reply(response, { answer: GERMAN_ANSWER, citations: [ids[0]!] });
  });
  const sentBefore = model.requests.length;
  const turn = dataOf(await ws.as('widget', ASK, { input: { text: GERMAN_QUESTION } })).ask;
  expect(turn).toMatchObject({ decision: 'ANSWERED', handOffReason: null, conversation: { language: 'de' } });
  expect(turn.message.text).toBe(GERMAN_ANSWER);
  expect(turn.message.citations).toEqual([{ translatedFrom: 'en', knowledgeItem: { id: refundTimesId, locale: 'en' } }]);

  const [translation, answer] = model.requests.slice(sentBefore);
  expect(isTranslation(translation!)).toBe(true);
  expect(userContent(translation!)).toContain('<language>en</language>');
  expect(userContent(translation!)).toContain(GERMAN_QUESTION);
  // The model writes from the English passages and the customer's own question.
  expect(userContent(answer!)).toContain('Refunds reach your card');
  expect(userContent(answer!)).toContain(GERMAN_QUESTION);
});

it('an English question needs no translation and cites nothing as translated', async () => {
  model.respondWith(({ body }, response) => {
    const ids = [...userContent(body).matchAll(/<passage id="([^"]+)"/g)].map((m) => m[1]!);
    reply(response, { answer: 'Refunds take up to five business days.', citations: [ids[0]!] });
  });
  const sentBefore = model.requests.length;
  const turn = dataOf(await ws.as('widget', ASK, { input: { text: 'What are the refund times to my card?' } })).ask;
  expect(turn.decision).toBe('ANSWERED');
  expect(turn.message.citations[0].translatedFrom).toBeNull();
  expect(model.requests.slice(sentBefore).some(isTranslation)).toBe(false);
});

it('hands off as UNSUPPORTED_LANGUAGE, in French, when the model cannot translate', async () => {
  model.respondWith((_request, response) => {
    response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'overloaded' } }));
  });
  const turn = dataOf(await ws.as('widget', ASK, { input: { text: 'Combien de temps prend un remboursement sur ma carte ?' } })).ask;
  expect(turn).toMatchObject({ decision: 'HANDED_OFF', handOffReason: 'UNSUPPORTED_LANGUAGE', conversation: { language: 'fr' } });
  expect(turn.message.text).toBe(systemMessage('unsupportedLanguage', 'fr'));
});
