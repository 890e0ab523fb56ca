/**
 * Learning that knows where the customer is, through the gateway on the real stack: a correction applies to the
 * context it was made in (or the scope the agent gives), a revert takes it back there only, and outcomes in one
 * context move the choice there and nowhere else.
 */
import { codeOf, customerToken, dataOf } from '../helpers/graphql';
import { reportExportArticles } from '../helpers/report-export-articles';
import { useTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(180_000);

const env = useTestStack();

const ASK = `mutation Ask($input: AskInput!) {
  ask(input: $input) { decision conversation { id } message { id text citations { knowledgeItem { id } } } }
}`;
const CORRECT = `mutation($input: CorrectAnswerInput!) {
  correctAnswer(input: $input) { learning learnedAnswer { id scope { plans areas } } }
}`;
const PREVIEW_CONFIDENCE = 'query($input: PreviewAnswerInput!) { previewAnswer(input: $input) { confidence candidate { id } } }';

interface Turn {
  decision: string;
  conversation: { id: string };
  message: { id: string; text: string; citations: Array<{ knowledgeItem: { id: string } }> };
}

async function ask(ws: TestWorkspace, text: string, options: { token?: string; page?: string } = {}): Promise<Turn> {
  return dataOf(await ws.as('widget', ASK, { input: { text, ...(options.page ? { page: options.page } : {}) } }, options.token)).ask;
}

async function correct(ws: TestWorkspace, turn: Turn, correctedText: string, scope?: string) {
  dataOf(await ws.as('agent', 'mutation($input: ConversationRef!) { claimConversation(input: $input) { id } }', { input: { conversationId: turn.conversation.id } }));
  return dataOf(await ws.as('agent', CORRECT, { input: { messageId: turn.message.id, correctedText, ...(scope ? { scope } : {}) } })).correctAnswer;
}

/** A customer (token) on an account of the plan. */
async function customerOn(ws: TestWorkspace, plan: string, name: string): Promise<string> {
  dataOf(await ws.as('admin', 'mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }', { input: { externalId: `acct-${name}`, name, plan } }));
  dataOf(await ws.as('admin', 'mutation($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { id } }', { input: { externalId: name, accountExternalId: `acct-${name}` } }));
  return customerToken(ws.customerTokenSecret, name);
}

const citedBy = (turn: Turn) => turn.message.citations[0]?.knowledgeItem.id;

const STARTER_ANSWER = 'On the Starter plan wire transfers are free: send them from Payments > Wire with no fee.';
const BUSINESS_ANSWER = 'On the Business plan each wire transfer costs 5 dollars, shown before you confirm it in Payments > Wire.';
const QUESTION = 'What does a wire transfer cost?';

describe('corrections apply to the context they were made in', () => {
  let ws: TestWorkspace;
  let starter: string;
  let business: string;
  let learned: { starter: string; business: string };

  beforeAll(async () => {
    ws = await createTestWorkspace(env, 'Context corrections');
    starter = await customerOn(ws, 'starter', 'sam');
    business = await customerOn(ws, 'business', 'bea');
  });

  it('the same question from two plans gets the two right answers after one correction each', async () => {
    const fromStarter = await ask(ws, QUESTION, { token: starter });
    expect(fromStarter.decision).toBe('HANDED_OFF');
    const a = await correct(ws, fromStarter, STARTER_ANSWER);
    expect(a.learning).toBe('CREATED');
    expect(a.learnedAnswer.scope).toEqual({ plans: ['starter'], areas: [] });

    // What was learned for Starter is not served on Business: that customer is handed off and corrected in turn.
    const fromBusiness = await ask(ws, QUESTION, { token: business });
    expect(fromBusiness.decision).toBe('HANDED_OFF');
    expect(citedBy(fromBusiness)).toBeUndefined();
    const b = await correct(ws, fromBusiness, BUSINESS_ANSWER);
    expect(b.learning).toBe('CREATED');
    expect(b.learnedAnswer.scope).toEqual({ plans: ['business'], areas: [] });
    learned = { starter: a.learnedAnswer.id, business: b.learnedAnswer.id };

    for (const text of [QUESTION, 'what does a wire transfer cost']) {
      const s = await ask(ws, text, { token: starter });
      const bz = await ask(ws, text, { token: business });
      expect({ decision: s.decision, cited: citedBy(s) }).toEqual({ decision: 'ANSWERED', cited: learned.starter });
      expect({ decision: bz.decision, cited: citedBy(bz) }).toEqual({ decision: 'ANSWERED', cited: learned.business });
    }
    // An anonymous visitor's plan is unknown: neither plan's answer is theirs.
    const visitor = await ask(ws, QUESTION);
    expect(visitor.decision).toBe('HANDED_OFF');
    expect(citedBy(visitor)).toBeUndefined();
  });

  it('the learning log records each learned answer with its scope', async () => {
    const events = dataOf(await ws.as('analyst', '{ learningEvents(filter: { kind: LEARNED_ANSWER_CREATED }) { events { after knowledgeItem { id scope { plans } } } } }')).learningEvents.events;
    const byItem = new Map(events.map((e: any) => [e.knowledgeItem.id, e]));
    expect((byItem.get(learned.starter) as any).after.scope).toEqual({ plans: ['starter'], areas: [] });
    expect((byItem.get(learned.business) as any).after.scope).toEqual({ plans: ['business'], areas: [] });
  });

  it('a revert restores the previous behaviour in that context only', async () => {
    const events = dataOf(await ws.as('admin', '{ learningEvents(filter: { kind: LEARNED_ANSWER_CREATED }) { events { id knowledgeItem { id } } } }')).learningEvents.events;
    const event = events.find((e: any) => e.knowledgeItem.id === learned.starter);
    dataOf(await ws.as('admin', 'mutation($input: KnowledgeItemRef!) { revertLearningEvent(input: $input) { revertedAt } }', { input: { id: event.id } }));
    const s = await ask(ws, QUESTION, { token: starter });
    const bz = await ask(ws, QUESTION, { token: business });
    expect(s.decision).toBe('HANDED_OFF');
    expect(citedBy(s)).toBeUndefined();
    expect({ decision: bz.decision, cited: citedBy(bz) }).toEqual({ decision: 'ANSWERED', cited: learned.business });
  });
});

describe('scopes an agent chooses', () => {
  it('a correction scoped to one page area does not change answers elsewhere', async () => {
    const ws = await createTestWorkspace(env, 'Page-area scope');
    const question = 'Where can I download my past invoices?';
    const asked = await ask(ws, question, { page: '/settings/billing' });
    expect(asked.decision).toBe('HANDED_OFF');
    const learned = await correct(ws, asked, 'Download past invoices from Settings > Billing > History: each row has a PDF link.', 'PAGE_AREA');
    expect(learned.learnedAnswer.scope).toEqual({ plans: [], areas: ['billing', 'settings'] });

    const there = await ask(ws, question, { page: '/settings/billing' });
    const below = await ask(ws, question, { page: 'https://app.example.com/settings/billing/history?tab=all' });
    expect({ decision: there.decision, cited: citedBy(there) }).toEqual({ decision: 'ANSWERED', cited: learned.learnedAnswer.id });
    expect({ decision: below.decision, cited: citedBy(below) }).toEqual({ decision: 'ANSWERED', cited: learned.learnedAnswer.id });
    for (const page of ['/reports', '/settings/profile', undefined]) {
      const elsewhere = await ask(ws, question, { page });
      expect({ page, decision: elsewhere.decision, cited: citedBy(elsewhere) }).toEqual({ page, decision: 'HANDED_OFF', cited: undefined });
    }
  });

  it('EVERYONE widens a correction made on one plan and page to every asker', async () => {
    const ws = await createTestWorkspace(env, 'Everyone scope');
    const token = await customerOn(ws, 'starter', 'eve');
    const question = 'Can I change the email address I log in with?';
    const asked = await ask(ws, question, { token, page: '/settings/profile' });
    const learned = await correct(ws, asked, 'Yes: change your login email under Settings > Profile > Email; we send a link to confirm it.', 'EVERYONE');
    expect(learned.learnedAnswer.scope).toEqual({ plans: [], areas: [] });
    const visitor = await ask(ws, question, { page: '/reports' });
    expect({ decision: visitor.decision, cited: citedBy(visitor) }).toEqual({ decision: 'ANSWERED', cited: learned.learnedAnswer.id });
  });

  it('a scope the question has no context for is refused with BAD_USER_INPUT, and nothing is learned', async () => {
    const ws = await createTestWorkspace(env, 'Scope refused');
    const asked = await ask(ws, 'Do you have a mobile app?');
    dataOf(await ws.as('agent', 'mutation($input: ConversationRef!) { claimConversation(input: $input) { id } }', { input: { conversationId: asked.conversation.id } }));
    for (const scope of ['PLAN', 'PAGE_AREA']) {
      const refused = await ws.as('agent', CORRECT, { input: { messageId: asked.message.id, correctedText: 'Yes, for iOS and Android.', scope } });
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    }
    const items = dataOf(await ws.as('agent', '{ knowledgeItems(input: { kind: LEARNED_ANSWER }) { edges { node { id } } } }')).knowledgeItems.edges;
    expect(items).toEqual([]);
    const events = dataOf(await ws.as('analyst', '{ learningEvents { events { id } } }')).learningEvents.events;
    expect(events).toEqual([]);
  });

  it("an agent of another workspace cannot correct (or scope) this workspace's answers", async () => {
    const ws = await createTestWorkspace(env, 'Scope home');
    const other = await createTestWorkspace(env, 'Scope foreign');
    const asked = await ask(ws, 'Is there a dark mode?', { page: '/settings' });
    const foreign = await other.as('agent', CORRECT, { input: { messageId: asked.message.id, correctedText: 'Yes.', scope: 'EVERYONE' } });
    expect(codeOf(foreign)).toBe('NOT_FOUND');
    const widget = await ws.as('widget', CORRECT, { input: { messageId: asked.message.id, correctedText: 'Yes.', scope: 'EVERYONE' } });
    expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(codeOf(widget));
  });
});

describe('context learning can be turned off', () => {
  it('off, a correction made on one plan is served to every plan; only admins may change it', async () => {
    const ws = await createTestWorkspace(env, 'Context off');
    const SETTINGS = 'mutation($input: UpdateLearningSettingsInput!) { updateLearningSettings(input: $input) { contextLearning } }';
    for (const role of ['agent', 'analyst', 'widget'] as const) {
      expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(codeOf(await ws.as(role, SETTINGS, { input: { contextLearning: false } })));
    }
    expect(dataOf(await ws.as('admin', '{ learningSettings { contextLearning } }')).learningSettings.contextLearning).toBe(true);
    expect(dataOf(await ws.as('admin', SETTINGS, { input: { contextLearning: false } })).updateLearningSettings.contextLearning).toBe(false);

    const starter = await customerOn(ws, 'starter', 'sol');
    const business = await customerOn(ws, 'business', 'ben');
    const asked = await ask(ws, QUESTION, { token: starter, page: '/payments' });
    const learned = await correct(ws, asked, STARTER_ANSWER);
    expect(learned.learnedAnswer.scope).toEqual({ plans: [], areas: [] });
    const bz = await ask(ws, QUESTION, { token: business });
    expect({ decision: bz.decision, cited: citedBy(bz) }).toEqual({ decision: 'ANSWERED', cited: learned.learnedAnswer.id });
  });
});

describe('outcomes in a context move the choice there only', () => {
  it('an article that keeps failing for one plan is chosen less there, and keeps the question on the other plan', async () => {
    const ws = await createTestWorkspace(env, 'Context evidence');
    const { narrow, broad, question } = await reportExportArticles(ws);
    const preview = async (plan: string): Promise<{ candidate: string | undefined; confidence: number }> => {
      const answer = dataOf(await ws.as('admin', PREVIEW_CONFIDENCE, { input: { text: question, plan } })).previewAnswer;
      return { candidate: answer.candidate?.id, confidence: answer.confidence };
    };
    expect((await preview('starter')).candidate).toBe(narrow);
    expect((await preview('business')).candidate).toBe(narrow);
    const rate = async (plan: string, name: string, rating: 'UP' | 'DOWN') => {
      const token = await customerOn(ws, plan, name);
      const own = await ask(ws, 'spreadsheet', { token });
      expect({ decision: own.decision, cited: citedBy(own) }).toEqual({ decision: 'ANSWERED', cited: narrow });
      dataOf(await ws.as('widget', 'mutation($input: RateAnswerInput!) { rateAnswer(input: $input) { rating } }', { input: { messageId: own.message.id, rating } }, token));
    };
    // Business customers find what only the narrow article matches helpful (each once; three of them also teach
    // their phrasing)...
    for (let i = 0; i < 3; i++) await rate('business', `business-${i}`, 'UP');
    // ...Starter customers rate it down (each once) until the article loses the shared question for Starter.
    let ratedDown = 0;
    while (ratedDown < 8 && (await preview('starter')).candidate === narrow) await rate('starter', `starter-${ratedDown++}`, 'DOWN');
    const starter = await preview('starter');
    const business = await preview('business');
    // On Business, where it works, it keeps the question.
    expect(business.candidate).toBe(narrow);
    expect(ratedDown).toBeGreaterThan(0);
    // On Starter it loses the question to the broad one, or, when the model has learned the Business customers'
    // phrasing by then, keeps it with less confidence than on Business (README, "Weak still": context evidence moves
    // a taught choice by ln(lift), which need not overturn it).
    if (starter.candidate === narrow) expect(starter.confidence).toBeLessThan(business.confidence);
    else expect(starter.candidate).toBe(broad);
  });
});
