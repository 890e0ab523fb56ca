/**
 * "Freeze learning" through the gateway on the real stack: a frozen workspace keeps answering and its agents
 * keep answering customers, but nothing it sees teaches it anything until an admin unfreezes it.
 */
import { codeOf, dataOf } from '../helpers/graphql';
import { useTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(180_000);

const env = useTestStack();

const ASK = `mutation($input: AskInput!) { ask(input: $input) { decision conversationSecret conversation { id } message { id citations { knowledgeItem { id } } } } }`;
const CORRECT = `mutation($input: CorrectAnswerInput!) {
  correctAnswer(input: $input) { learning learnedAnswer { id } message { author text correctsMessageId citations { knowledgeItem { id } } } }
}`;
const SETTINGS = '{ learningSettings { learningMode targetPrecision learningFrozen learningFrozenAt } }';
const UPDATE = `mutation($input: UpdateLearningSettingsInput!) { updateLearningSettings(input: $input) { learningMode learningFrozen learningFrozenAt } }`;
const EVENTS = '{ learningEvents { events { kind signal } } }';

const VAT_ANSWER = 'Yes. Add your VAT number under Billing > Company details and every invoice from then on shows it.';

async function ask(ws: TestWorkspace, text: string) {
  return dataOf(await ws.as('widget', ASK, { input: { text } })).ask;
}

async function correct(ws: TestWorkspace, messageId: string, correctedText: string, knowledgeItemIds: string[] = []) {
  return dataOf(await ws.as('agent', CORRECT, { input: { messageId, correctedText, knowledgeItemIds } })).correctAnswer;
}

async function setFrozen(ws: TestWorkspace, learningFrozen: boolean) {
  return dataOf(await ws.as('admin', UPDATE, { input: { learningFrozen } })).updateLearningSettings;
}

describe('freezing learning', () => {
  it('a correction while frozen reaches the customer but teaches nothing; after unfreezing the same lesson is learned', async () => {
    const ws = await createTestWorkspace(env, 'Freeze');
    const frozen = await setFrozen(ws, true);
    expect(frozen).toMatchObject({ learningMode: 'AUTO_PUBLISH', learningFrozen: true });
    expect(Date.parse(frozen.learningFrozenAt)).not.toBeNaN();

    const first = await ask(ws, 'Can I get an invoice with my VAT number on it?');
    expect(first.decision).toBe('HANDED_OFF');
    const correction = await correct(ws, first.message.id, VAT_ANSWER);
    expect(correction.learning).toBe('NOT_LEARNED');
    expect(correction.learnedAnswer).toBeNull();
    expect(correction.message).toMatchObject({ author: 'AGENT', text: VAT_ANSWER, correctsMessageId: first.message.id, citations: [] });

    const reworded = await ask(ws, 'can i get an invoice with my VAT number on it please');
    expect(reworded.decision).toBe('HANDED_OFF');
    expect(dataOf(await ws.as('analyst', EVENTS)).learningEvents.events).toEqual([]);

    const thawed = await setFrozen(ws, false);
    expect(thawed).toMatchObject({ learningFrozen: false, learningFrozenAt: null });
    const again = await ask(ws, 'Can I get an invoice with my VAT number on it?');
    expect(again.decision).toBe('HANDED_OFF');
    const learned = await correct(ws, again.message.id, VAT_ANSWER);
    expect(learned.learning).toBe('CREATED');
    expect(learned.message.citations).toEqual([{ knowledgeItem: { id: learned.learnedAnswer.id } }]);

    const served = await ask(ws, 'can i get an invoice with my VAT number on it please');
    expect(served.decision).toBe('ANSWERED');
    expect(served.message.citations[0].knowledgeItem.id).toBe(learned.learnedAnswer.id);
    expect(dataOf(await ws.as('analyst', EVENTS)).learningEvents.events).toEqual([{ kind: 'LEARNED_ANSWER_CREATED', signal: 'agent_correction' }]);
  });

  it('while frozen, ratings and resolutions move no statistic, threshold or phrasing, and a product change still flags stale content', async () => {
    const ws = await createTestWorkspace(env, 'Freeze outcomes');
    const article = dataOf(
      await ws.as('admin', 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', {
        input: { title: 'Monthly report export', body: 'Export your monthly report to a CSV file: open Reports, pick the monthly report and click Export.' },
      }),
    ).createArticle;
    await setFrozen(ws, true);

    const answered = await ask(ws, 'How do I export my monthly report to a CSV file?');
    expect(answered.decision).toBe('ANSWERED');
    expect(answered.message.citations[0].knowledgeItem.id).toBe(article.id);
    dataOf(await ws.as('widget', 'mutation($input: RateAnswerInput!) { rateAnswer(input: $input) { rating } }', { input: { messageId: answered.message.id, rating: 'UP', conversationSecret: answered.conversationSecret } }));
    dataOf(await ws.as('widget', 'mutation($input: ConversationRef!) { markResolved(input: $input) { status } }', { input: { conversationId: answered.conversation.id, conversationSecret: answered.conversationSecret } }));

    const ITEM = 'query($id: ID!) { knowledgeItem(id: $id) { stale stats { shown resolved ratedUp } } }';
    expect(dataOf(await ws.as('admin', ITEM, { id: article.id })).knowledgeItem).toEqual({ stale: false, stats: { shown: 0, resolved: 0, ratedUp: 0 } });
    expect(dataOf(await ws.as('analyst', '{ answerPolicies { topic samples } }')).answerPolicies).toEqual([]);
    expect(dataOf(await ws.as('analyst', EVENTS)).learningEvents.events).toEqual([]);

    dataOf(
      await ws.as('admin', 'mutation($input: RecordProductChangeInput!) { recordProductChange(input: $input) { id } }', {
        input: { kind: 'RELEASE_NOTE', title: 'Reports moved', description: 'Exports now live under Data.', productAreas: [], knowledgeItemIds: [article.id] },
      }),
    );
    expect(dataOf(await ws.as('admin', ITEM, { id: article.id })).knowledgeItem.stale).toBe(true);
  });

  it('only an admin may freeze or unfreeze learning; other roles are FORBIDDEN and change nothing', async () => {
    const ws = await createTestWorkspace(env, 'Freeze roles');
    for (const role of ['agent', 'analyst', 'widget'] as const) {
      expect(codeOf(await ws.as(role, UPDATE, { input: { learningFrozen: true } }))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, SETTINGS))).toBe('FORBIDDEN');
    }
    expect(dataOf(await ws.as('admin', SETTINGS)).learningSettings).toEqual({ learningMode: 'AUTO_PUBLISH', targetPrecision: expect.closeTo(0.9, 5), learningFrozen: false, learningFrozenAt: null });
  });

  it('a value that is not a boolean is refused with a clear error and changes nothing', async () => {
    const ws = await createTestWorkspace(env, 'Freeze input');
    const result = await ws.as('admin', UPDATE, { input: { learningFrozen: 'yes' } });
    expect(result.errors?.[0]?.message).toMatch(/learningFrozen.*Boolean/);
    expect(dataOf(await ws.as('admin', SETTINGS)).learningSettings.learningFrozen).toBe(false);
  });

  it('freezing one workspace leaves another learning, and freezing twice keeps the first time', async () => {
    const frozenWs = await createTestWorkspace(env, 'Freeze mine');
    const other = await createTestWorkspace(env, 'Freeze other');
    const first = await setFrozen(frozenWs, true);
    expect((await setFrozen(frozenWs, true)).learningFrozenAt).toBe(first.learningFrozenAt);
    expect(dataOf(await other.as('admin', SETTINGS)).learningSettings.learningFrozen).toBe(false);

    const asked = await ask(other, 'Can I get an invoice with my VAT number on it?');
    expect((await correct(other, asked.message.id, VAT_ANSWER)).learning).toBe('CREATED');
    // The other workspace's admin key acts on its own workspace only: unfreezing there leaves this one frozen.
    await setFrozen(other, false);
    expect(dataOf(await frozenWs.as('admin', SETTINGS)).learningSettings.learningFrozen).toBe(true);
  });
});
