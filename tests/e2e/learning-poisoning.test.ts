/**
 * A learning loop no visitor can poison, through the gateway on the real stack: an anonymous visitor's
 * conversation is theirs only (its secret), and hostile confirmations, from a hundred anonymous visitors or
 * from one signed-in customer twenty times, neither teach the system a question nor make a wrong answer
 * confident.
 */
import path from 'node:path';
import { readKnowledgeFolder } from '../../services/knowledge/import/knowledge-folder';
import { GraphQLResult, codeOf, customerToken, dataOf } from '../helpers/graphql';
import { useTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(600_000);

const env = useTestStack();

const ASK = `mutation($input: AskInput!) {
  ask(input: $input) { decision confidence conversationSecret conversation { id status } message { id citations { knowledgeItem { id } } } }
}`;
const READ = 'query($id: ID!, $secret: String) { conversation(id: $id, conversationSecret: $secret) { id status messages { author rating } } }';
const RATE = 'mutation($input: RateAnswerInput!) { rateAnswer(input: $input) { rating } }';
const RESOLVE = 'mutation($input: ConversationRef!) { markResolved(input: $input) { status } }';
const REQUEST_HUMAN = 'mutation($input: ConversationRef!) { requestHuman(input: $input) { status } }';
const PREVIEW = 'query($input: PreviewAnswerInput!) { previewAnswer(input: $input) { decision confidence threshold candidate { id } } }';
const ARTICLE = 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }';

async function ask(ws: TestWorkspace, text: string, options: { token?: string; conversationId?: string; conversationSecret?: string } = {}) {
  const { token, ...rest } = options;
  return dataOf(await ws.as('widget', ASK, { input: { text, ...rest } }, token)).ask;
}

describe("an anonymous visitor's conversation is theirs only", () => {
  let ws: TestWorkspace;
  let other: TestWorkspace;

  beforeAll(async () => {
    ws = await createTestWorkspace(env, 'Ownership');
    other = await createTestWorkspace(env, 'Ownership elsewhere');
    dataOf(await ws.as('admin', ARTICLE, { input: { title: 'Changing your email', body: 'Change your email under Profile > Email and confirm the link we send.' } }));
  });

  /** Every operation a widget can do on one conversation, with the secret given (or not). */
  const operations = (turn: any) => ({
    read: (secret?: string, on = ws) => on.as('widget', READ, { id: turn.conversation.id, secret }),
    followUp: (secret?: string, on = ws) => on.as('widget', ASK, { input: { text: 'And where do I confirm it?', conversationId: turn.conversation.id, conversationSecret: secret } }),
    rate: (secret?: string, on = ws) => on.as('widget', RATE, { input: { messageId: turn.message.id, rating: 'UP', conversationSecret: secret } }),
    resolve: (secret?: string, on = ws) => on.as('widget', RESOLVE, { input: { conversationId: turn.conversation.id, conversationSecret: secret } }),
    requestHuman: (secret?: string, on = ws) => on.as('widget', REQUEST_HUMAN, { input: { conversationId: turn.conversation.id, conversationSecret: secret } }),
  });
  const codes = async (calls: Array<() => Promise<GraphQLResult>>) => Promise.all(calls.map(async (call) => codeOf(await call())));
  const asAgent = async (turn: any) => dataOf(await ws.as('agent', READ, { id: turn.conversation.id })).conversation;

  it('the ask that starts it returns a secret once; continuing it returns none, nor does a signed-in customer get one', async () => {
    const turn = await ask(ws, 'How do I change my email address?');
    expect(turn.conversationSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const followUp = await ask(ws, 'And where do I confirm it?', { conversationId: turn.conversation.id, conversationSecret: turn.conversationSecret });
    expect(followUp.conversation.id).toBe(turn.conversation.id);
    expect(followUp.conversationSecret).toBeNull();
    const signedIn = await ask(ws, 'How do I change my email address?', { token: await customerToken(ws.customerTokenSecret, 'owner-1') });
    expect(signedIn.conversationSecret).toBeNull();
  });

  it('without the secret, or with another conversation\'s, reading, following up, rating, resolving and asking for a person are NOT_FOUND and change nothing', async () => {
    const turn = await ask(ws, 'How do I change my email address?');
    const someoneElses = (await ask(ws, 'How do I change my email address?')).conversationSecret;
    const op = operations(turn);
    const before = await asAgent(turn);
    for (const secret of [undefined, someoneElses, 'not-a-secret']) {
      expect(await codes([() => op.read(secret), () => op.followUp(secret), () => op.rate(secret), () => op.resolve(secret), () => op.requestHuman(secret)])).toEqual(Array(5).fill('NOT_FOUND'));
    }
    expect(await asAgent(turn)).toEqual(before);
    expect(before).toMatchObject({ status: 'OPEN', messages: [{ author: 'CUSTOMER', rating: null }, { author: 'AI', rating: null }] });
  });

  it('with the secret, the visitor reads, rates, asks for a person, follows up and resolves', async () => {
    const turn = await ask(ws, 'How do I change my email address?');
    const op = operations(turn);
    const secret = turn.conversationSecret;
    expect(dataOf(await op.read(secret)).conversation.messages).toHaveLength(2);
    expect(dataOf(await op.rate(secret)).rateAnswer.rating).toBe('UP');
    expect(dataOf(await op.requestHuman(secret)).requestHuman.status).toBe('HANDED_OFF');
    expect(dataOf(await op.followUp(secret)).ask.conversation.id).toBe(turn.conversation.id);
    expect(dataOf(await op.resolve(secret)).markResolved.status).toBe('RESOLVED');
    expect(dataOf(await op.read(secret)).conversation.messages).toHaveLength(4);
  });

  it('the right secret with another workspace\'s widget key is NOT_FOUND', async () => {
    const turn = await ask(ws, 'How do I change my email address?');
    const op = operations(turn);
    const secret = turn.conversationSecret;
    const before = await asAgent(turn);
    expect(await codes([() => op.read(secret, other), () => op.followUp(secret, other), () => op.rate(secret, other), () => op.resolve(secret, other), () => op.requestHuman(secret, other)])).toEqual(
      Array(5).fill('NOT_FOUND'),
    );
    expect(await asAgent(turn)).toEqual(before);
  });

  it("a signed-in customer's conversation is NOT_FOUND for another customer and for an anonymous visitor, and theirs without a secret", async () => {
    const owner = await customerToken(ws.customerTokenSecret, 'owner-2');
    const turn = await ask(ws, 'How do I change my email address?', { token: owner });
    const stranger = await customerToken(ws.customerTokenSecret, 'stranger');
    expect(codeOf(await ws.as('widget', READ, { id: turn.conversation.id }, stranger))).toBe('NOT_FOUND');
    expect(codeOf(await ws.as('widget', READ, { id: turn.conversation.id }))).toBe('NOT_FOUND');
    expect(codeOf(await ws.as('widget', RATE, { input: { messageId: turn.message.id, rating: 'UP' } }, stranger))).toBe('NOT_FOUND');
    expect(dataOf(await ws.as('widget', READ, { id: turn.conversation.id }, owner)).conversation.id).toBe(turn.conversation.id);
    expect(dataOf(await ws.as('widget', RATE, { input: { messageId: turn.message.id, rating: 'UP' } }, owner)).rateAnswer.rating).toBe('UP');
  });

  it("staff read any of the workspace's conversations without a secret", async () => {
    const turn = await ask(ws, 'How do I change my email address?');
    expect((await asAgent(turn)).id).toBe(turn.conversation.id);
    expect(dataOf(await ws.as('analyst', READ, { id: turn.conversation.id })).conversation.id).toBe(turn.conversation.id);
  });
});

/**
 * A question about a failing card payment that the knowledge base answers confidently and wrongly on day one, from
 * the article about a card that does not work (found by previewing banking77's train questions for these eight
 * articles: one of two wrong answers over the day-one bar among 1,116). It stands for the issue's situation, where
 * hostile confirmations took such an answer from 0.20 to 0.79 and a paraphrase of it to 0.69.
 */
describe('hostile confirmations of a wrong answer', () => {
  const LABELS = ['compromised_card', 'card_payment_not_recognised', 'lost_or_stolen_card', 'cash_withdrawal_not_recognised', 'direct_debit_payment_not_recognised', 'declined_card_payment', 'transaction_charged_twice', 'card_not_working'];
  const QUESTION = "If my card payment isn't working what do I do?";
  const PARAPHRASES = ['my card payment is not going through, what should I do', 'what do I do when a payment with my card fails'];
  let ws: TestWorkspace;
  let wrong: string;

  const preview = async (text: string) => dataOf(await ws.as('admin', PREVIEW, { input: { text } })).previewAnswer;
  const confirm = async (token?: string) => {
    const turn = await ask(ws, QUESTION, { token });
    expect(turn.message.citations[0]?.knowledgeItem.id).toBe(wrong);
    const conversationSecret = turn.conversationSecret ?? undefined;
    dataOf(await ws.as('widget', RATE, { input: { messageId: turn.message.id, rating: 'UP', conversationSecret } }, token));
    dataOf(await ws.as('widget', RESOLVE, { input: { conversationId: turn.conversation.id, conversationSecret } }, token));
  };
  const learnedQuestions = async () => dataOf(await ws.as('analyst', '{ learningEvents(filter: { kind: QUESTION_VARIANT_ADDED }) { events { id } } }')).learningEvents.events;
  /** The paraphrases are not answered from the wrong item. */
  const expectParaphrasesNotAnsweredFromIt = async () => {
    for (const text of PARAPHRASES) {
      const p = await preview(text);
      expect({ text, answeredFromWrongItem: p.decision === 'ANSWERED' && p.candidate?.id === wrong }).toEqual({ text, answeredFromWrongItem: false });
    }
  };

  beforeAll(async () => {
    ws = await createTestWorkspace(env, 'Poisoning');
    const articles = readKnowledgeFolder(path.join(__dirname, '..', '..', '..', 'shared', 'datasets', 'banking77')).filter((a) => LABELS.includes(a.externalKey ?? ''));
    const items = dataOf(await ws.as('admin', 'mutation($input: ImportArticlesInput!) { importArticles(input: $input) { items { id externalKey } } }', { input: { articles } })).importArticles.items;
    wrong = items.find((i: { externalKey: string }) => i.externalKey === 'card_not_working').id;
    const before = await preview(QUESTION);
    expect(before).toMatchObject({ decision: 'ANSWERED', candidate: { id: wrong } });
    await expectParaphrasesNotAnsweredFromIt();
  });

  /** The attack makes the wrong answer no surer and the bar no lower, teaches nothing, and answers no paraphrase from it. */
  async function expectUnmoved(attack: () => Promise<void>) {
    const before = await preview(QUESTION);
    await attack();
    const after = await preview(QUESTION);
    expect(after.candidate.id).toBe(wrong);
    expect(after.confidence).toBeLessThanOrEqual(before.confidence + 1e-6);
    expect(after.threshold).toBeGreaterThanOrEqual(before.threshold);
    await expectParaphrasesNotAnsweredFromIt();
    expect(await learnedQuestions()).toEqual([]);
  }

  it('a hundred anonymous visitors confirming it teach nothing and leave its confidence where it was', async () => {
    await expectUnmoved(async () => {
      for (let i = 0; i < 100; i++) await confirm();
    });
  });

  it('one signed-in customer confirming it twenty times teaches nothing and leaves its confidence where it was', async () => {
    const token = await customerToken(ws.customerTokenSecret, 'mallory');
    await expectUnmoved(async () => {
      for (let i = 0; i < 20; i++) await confirm(token);
    });
  });
});
