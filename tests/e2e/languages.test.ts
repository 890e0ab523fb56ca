/**
 * Languages through the gateway on the real stack, without an answer model: each question's language is detected
 * (English, Spanish, German, French, Arabic), answered from knowledge in that language when there is some, and
 * otherwise handed off as UNSUPPORTED_LANGUAGE with a reply in the customer's language; the language is recorded on
 * the conversation and its question, and filters the support figures in insights.
 */
import { systemMessage } from '../../services/conversation/language/system-messages';
import { codeOf, dataOf } from '../helpers/graphql';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, claimAndCorrect, createTestWorkspace } from '../helpers/workspace';
import { settledWorkspaceRecords, workspaceRecords } from '../helpers/workspace-records';

jest.setTimeout(240_000);

const ASK = `mutation($input: AskInput!) {
  ask(input: $input) {
    decision handOffReason
    conversation { id language }
    message { text citations { translatedFrom knowledgeItem { id locale } } }
  }
}`;
const CONVERSATION = 'query($id: ID!) { conversation(id: $id) { language messages { author language } } }';
const IMPORT = 'mutation($input: ImportArticlesInput!) { importArticles(input: $input) { items { id externalKey locale } } }';

let env: TestStack;
let ws: TestWorkspace;
let ids: Record<string, string>;

beforeAll(async () => {
  env = await startTestStack();
  ws = await createTestWorkspace(env, 'Languages');
  const articles = [
    { externalKey: 'refund-times', title: 'Refund times', body: 'Refunds reach your card within five business days after we approve them.' },
    { externalKey: 'card-pin', title: 'Changing your card PIN', body: 'Change your PIN in the app under Card > Security > Change PIN.' },
    { externalKey: 'plazos-reembolso', title: 'Plazos de reembolso', body: 'Los reembolsos llegan a tu tarjeta en un plazo de cinco días hábiles después de aprobarlos.', locale: 'es' },
  ];
  const items: Array<{ id: string; externalKey: string; locale: string }> = dataOf(await ws.as('admin', IMPORT, { input: { articles } })).importArticles.items;
  expect(items.map((i) => i.locale)).toEqual(['en', 'en', 'es']);
  ids = Object.fromEntries(items.map((i) => [i.externalKey, i.id]));
});

afterAll(async () => {
  await env?.stop();
});

const ask = async (text: string) => dataOf(await ws.as('widget', ASK, { input: { text } })).ask;
const recorded = async (conversationId: string) => dataOf(await ws.as('agent', CONVERSATION, { id: conversationId })).conversation;

describe('the language of a question', () => {
  it('English: answered from the English article, in English', async () => {
    const turn = await ask('What are the refund times to my card?');
    expect(turn).toMatchObject({ decision: 'ANSWERED', conversation: { language: 'en' } });
    expect(turn.message.citations).toEqual([{ translatedFrom: null, knowledgeItem: { id: ids['refund-times'], locale: 'en' } }]);
    expect(await recorded(turn.conversation.id)).toEqual({ language: 'en', messages: [{ author: 'CUSTOMER', language: 'en' }, { author: 'AI', language: null }] });
  });

  it('Spanish: answered from the Spanish article, in Spanish', async () => {
    const turn = await ask('¿Cuáles son los plazos de reembolso?');
    expect(turn).toMatchObject({ decision: 'ANSWERED', conversation: { language: 'es' } });
    expect(turn.message.citations).toEqual([{ translatedFrom: null, knowledgeItem: { id: ids['plazos-reembolso'], locale: 'es' } }]);
    expect(turn.message.text).toContain('Los reembolsos llegan a tu tarjeta');
  });

  it('Spanish that the Spanish knowledge does not cover: handed off with the Spanish hand-off message', async () => {
    const turn = await ask('¿Puedo pagar con bitcoin en la tienda?');
    expect(turn.decision).toBe('HANDED_OFF');
    expect(turn.handOffReason).not.toBe('UNSUPPORTED_LANGUAGE');
    expect(turn.message.text).toBe(systemMessage('handedOff', 'es'));
    expect(turn.conversation.language).toBe('es');
  });

  it("an agent's correction of a Spanish question is learned as Spanish knowledge", async () => {
    const turn = dataOf(await ws.as('widget', 'mutation($input: AskInput!) { ask(input: $input) { decision conversation { id } message { id } } }', { input: { text: '¿Puedo cambiar la moneda de mi cuenta?' } })).ask;
    expect(turn.decision).toBe('HANDED_OFF');
    const learned = await claimAndCorrect(ws, turn, 'No, la moneda de la cuenta no se puede cambiar; puedes abrir una cuenta nueva en otra moneda.', 'id locale');
    expect(learned.locale).toBe('es');
  });

  it.each([
    ['German', 'de', 'Wie lange dauert eine Rückerstattung auf meine Karte?', 'Auf Deutsch kann ich noch nicht antworten'],
    ['French', 'fr', 'Combien de temps prend un remboursement sur ma carte ?', 'Je ne peux pas encore répondre en français'],
    ['Arabic', 'ar', 'كم من الوقت يستغرق استرداد المبلغ إلى بطاقتي؟', 'لا أستطيع الرد باللغة العربية'],
  ])('%s, which no knowledge is written in: handed off as UNSUPPORTED_LANGUAGE with a reply in %s', async (_name, language, question, reply) => {
    const turn = await ask(question);
    expect(turn).toMatchObject({ decision: 'HANDED_OFF', handOffReason: 'UNSUPPORTED_LANGUAGE', conversation: { language } });
    expect(turn.message.text).toBe(systemMessage('unsupportedLanguage', language));
    expect(turn.message.text).toContain(reply);
    expect(turn.message.citations).toEqual([]);
    expect((await recorded(turn.conversation.id)).messages[0]).toEqual({ author: 'CUSTOMER', language });
  });

  it('reads a plain English question that one of the two models takes for French as English', async () => {
    const turn = await ask('How do I reset my password?');
    expect(turn.conversation.language).toBe('en');
    expect(turn.handOffReason).not.toBe('UNSUPPORTED_LANGUAGE');
    expect(turn.message.text).toBe(systemMessage('handedOff', 'en'));
  });

  it("previews an agent's question in its language, recording nothing", async () => {
    const before = await settledWorkspaceRecords(env.databaseUrl, ws.id);
    const preview = dataOf(
      await ws.as('agent', 'query($input: PreviewAnswerInput!) { previewAnswer(input: $input) { language decision handOffReason } }', { input: { text: 'Combien de temps prend un remboursement sur ma carte ?' } }),
    ).previewAnswer;
    expect(preview).toEqual({ language: 'fr', decision: 'HANDED_OFF', handOffReason: 'UNSUPPORTED_LANGUAGE' });
    // No conversation or message, no question variant, answer outcome or learning event, no outbox event.
    expect(await workspaceRecords(env.databaseUrl, ws.id)).toEqual(before);
  });
});

describe('language in insights', () => {
  const SUPPORT = `query($input: SupportMetricsInput!) { workspace { support(input: $input) { totals { questions handedOff } handOffReasons { reason count } } } }`;
  const range = () => ({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });

  it('filters the support figures by the language of the questions', async () => {
    // Every ask above is in the warehouse once all 8 questions are (the relay moves them within moments).
    let all: any;
    for (let attempt = 0; attempt < 100; attempt++) {
      all = dataOf(await ws.as('analyst', SUPPORT, { input: range() })).workspace.support;
      if (all.totals.questions >= 8) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(all.totals.questions).toBe(8);
    const byLanguage = async (language: string) => dataOf(await ws.as('analyst', SUPPORT, { input: { ...range(), language } })).workspace.support;
    expect((await byLanguage('es')).totals).toEqual({ questions: 3, handedOff: 2 });
    expect((await byLanguage('en')).totals.questions).toBe(2);
    const german = await byLanguage('de');
    expect(german.totals).toEqual({ questions: 1, handedOff: 1 });
    expect(german.handOffReasons).toEqual([{ reason: 'unsupported_language', count: 1 }]);
    expect((await byLanguage('it')).totals.questions).toBe(0);
  });

  it('refuses a language that is not an ISO 639 code with BAD_USER_INPUT', async () => {
    expect(codeOf(await ws.as('analyst', SUPPORT, { input: { ...range(), language: 'German' } }))).toBe('BAD_USER_INPUT');
  });
});
