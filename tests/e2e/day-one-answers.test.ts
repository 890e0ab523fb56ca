/**
 * Day one, through the gateway on the real stack: imported articles answer before anyone has taught anything,
 * each article's own title finds that article, and knowledge an admin marks sensitive needs a higher bar.
 */
import path from 'node:path';
import { readKbJsonl } from '../../services/knowledge/import/knowledge-folder';
import { codeOf, dataOf } from '../helpers/graphql';
import { useTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(180_000);

const BANKING77_KB = path.join(__dirname, '..', '..', '..', 'shared', 'datasets', 'banking77', 'kb.jsonl');

const env = useTestStack();

const PREVIEW = `query($input: PreviewAnswerInput!) {
  previewAnswer(input: $input) { decision handOffReason confidence threshold candidate { id title } citations { knowledgeItem { id } } }
}`;
const IMPORT = 'mutation($input: ImportArticlesInput!) { importArticles(input: $input) { items { id externalKey title } } }';
const MARK_ITEM = 'mutation($input: MarkKnowledgeItemSensitiveInput!) { markKnowledgeItemSensitive(input: $input) { id sensitive } }';
const MARK_TOPIC = 'mutation($input: MarkTopicSensitiveInput!) { markTopicSensitive(input: $input) }';
const SETTINGS = 'mutation($input: UpdateLearningSettingsInput!) { updateLearningSettings(input: $input) { sensitiveThreshold targetPrecision } }';

async function preview(ws: TestWorkspace, text: string) {
  return dataOf(await ws.as('admin', PREVIEW, { input: { text } })).previewAnswer;
}

describe('imported articles on day one', () => {
  it("every banking77 article's own title previews to that article", async () => {
    const ws = await createTestWorkspace(env, 'Titles');
    // As a help centre imports them: no topics derived from the data set's labels.
    const articles = readKbJsonl(BANKING77_KB).map(({ topic: _topic, ...article }) => article);
    const items: Array<{ id: string; title: string }> = dataOf(await ws.as('admin', IMPORT, { input: { articles } })).importArticles.items;
    expect(items).toHaveLength(77);
    const misses: string[] = [];
    for (const item of items) {
      const answer = await preview(ws, item.title);
      if (answer.candidate?.id !== item.id) misses.push(`"${item.title}" → "${answer.candidate?.title ?? 'nothing'}"`);
    }
    expect(misses).toEqual([]);
  });
});

describe('sensitive knowledge', () => {
  const fraud = { externalKey: 'fraud', topic: 'fraud', title: 'Someone used my card without my permission', body: 'Freeze the card in the app under Card > Freeze, then report the payments you do not recognise under Card > Disputes. We refund unauthorised payments within 10 days.' };
  const delivery = { externalKey: 'delivery', topic: 'cards', title: 'When will my new card arrive', body: 'New cards are posted within one working day and arrive within 5 to 7 working days.' };

  async function workspaceWithArticles(name: string) {
    const ws = await createTestWorkspace(env, name);
    const items: Array<{ id: string; externalKey: string }> = dataOf(await ws.as('admin', IMPORT, { input: { articles: [fraud, delivery] } })).importArticles.items;
    return { ws, fraudId: items.find((i) => i.externalKey === 'fraud')!.id, deliveryId: items.find((i) => i.externalKey === 'delivery')!.id };
  }

  it('an answer from a sensitive item under the sensitive bar hands off with SENSITIVE_KNOWLEDGE, and answers again above it', async () => {
    const { ws, fraudId } = await workspaceWithArticles('Sensitive item');
    const question = 'someone used my card without my permission, what do I do?';
    const before = await preview(ws, question);
    expect(before).toMatchObject({ decision: 'ANSWERED', candidate: { id: fraudId } });
    expect(before.confidence).toBeLessThan(1);

    expect(dataOf(await ws.as('admin', MARK_ITEM, { input: { id: fraudId, sensitive: true } })).markKnowledgeItemSensitive).toEqual({ id: fraudId, sensitive: true });
    // The bar just above this answer's confidence: it must hand off, and say why.
    const bar = (before.confidence + 1) / 2;
    expect(dataOf(await ws.as('admin', SETTINGS, { input: { sensitiveThreshold: bar } })).updateLearningSettings.sensitiveThreshold).toBeCloseTo(bar, 5);
    const sensitive = await preview(ws, question);
    expect(sensitive).toMatchObject({ decision: 'HANDED_OFF', handOffReason: 'SENSITIVE_KNOWLEDGE', candidate: { id: fraudId } });
    expect(sensitive.threshold).toBeCloseTo(bar, 5);
    expect(sensitive.citations).toEqual([]);

    const asked = dataOf(await ws.as('widget', 'mutation($input: AskInput!) { ask(input: $input) { decision handOffReason conversation { status } } }', { input: { text: question } })).ask;
    expect(asked).toMatchObject({ decision: 'HANDED_OFF', handOffReason: 'SENSITIVE_KNOWLEDGE', conversation: { status: 'HANDED_OFF' } });

    // Other knowledge keeps the usual bar.
    expect(await preview(ws, 'When will my new card arrive?')).toMatchObject({ decision: 'ANSWERED' });

    dataOf(await ws.as('admin', SETTINGS, { input: { sensitiveThreshold: Math.max(0.5, before.confidence - 0.01) } }));
    expect(await preview(ws, question)).toMatchObject({ decision: 'ANSWERED', candidate: { id: fraudId } });
    dataOf(await ws.as('admin', SETTINGS, { input: { sensitiveThreshold: 1 } }));
    expect(await preview(ws, question)).toMatchObject({ decision: 'HANDED_OFF', handOffReason: 'SENSITIVE_KNOWLEDGE' });
    dataOf(await ws.as('admin', MARK_ITEM, { input: { id: fraudId, sensitive: false } }));
    expect(await preview(ws, question)).toMatchObject({ decision: 'ANSWERED', candidate: { id: fraudId } });
  });

  it('a topic marked sensitive holds every item in it to the sensitive bar, in that workspace only', async () => {
    const { ws, fraudId } = await workspaceWithArticles('Sensitive topic');
    const other = await workspaceWithArticles('Sensitive topic elsewhere');
    const question = 'someone used my card without my permission, what do I do?';
    expect(dataOf(await ws.as('admin', MARK_TOPIC, { input: { topic: ' fraud ', sensitive: true } })).markTopicSensitive).toEqual(['fraud']);
    dataOf(await ws.as('admin', SETTINGS, { input: { sensitiveThreshold: 1 } }));
    expect(await preview(ws, question)).toMatchObject({ decision: 'HANDED_OFF', handOffReason: 'SENSITIVE_KNOWLEDGE', candidate: { id: fraudId } });
    expect(await preview(ws, 'When will my new card arrive?')).toMatchObject({ decision: 'ANSWERED' });

    expect(dataOf(await other.ws.as('agent', '{ sensitiveTopics }')).sensitiveTopics).toEqual([]);
    dataOf(await other.ws.as('admin', SETTINGS, { input: { sensitiveThreshold: 1 } }));
    expect(await preview(other.ws, question)).toMatchObject({ decision: 'ANSWERED', candidate: { id: other.fraudId } });

    expect(dataOf(await ws.as('analyst', '{ sensitiveTopics }')).sensitiveTopics).toEqual(['fraud']);
    expect(dataOf(await ws.as('admin', MARK_TOPIC, { input: { topic: 'fraud', sensitive: false } })).markTopicSensitive).toEqual([]);
    expect(await preview(ws, question)).toMatchObject({ decision: 'ANSWERED', candidate: { id: fraudId } });
  });

  it('only admins mark knowledge sensitive or change the sensitive bar', async () => {
    const { ws, fraudId } = await workspaceWithArticles('Sensitive roles');
    for (const role of ['agent', 'analyst', 'widget'] as const) {
      expect(codeOf(await ws.as(role, MARK_ITEM, { input: { id: fraudId, sensitive: true } }))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, MARK_TOPIC, { input: { topic: 'fraud', sensitive: true } }))).toBe('FORBIDDEN');
      expect(codeOf(await ws.as(role, SETTINGS, { input: { sensitiveThreshold: 1 } }))).toBe('FORBIDDEN');
    }
    expect(codeOf(await ws.as('widget', '{ sensitiveTopics }'))).toBe('FORBIDDEN');
    expect(dataOf(await ws.as('agent', '{ sensitiveTopics }')).sensitiveTopics).toEqual([]);
    expect(dataOf(await ws.as('agent', 'query($id: ID!) { knowledgeItem(id: $id) { sensitive } }', { id: fraudId })).knowledgeItem.sensitive).toBe(false);
  });

  it("another workspace's item is NOT_FOUND, and marking it changes nothing", async () => {
    const { ws, fraudId } = await workspaceWithArticles('Sensitive owner');
    const intruder = await createTestWorkspace(env, 'Sensitive intruder');
    expect(codeOf(await intruder.as('admin', MARK_ITEM, { input: { id: fraudId, sensitive: true } }))).toBe('NOT_FOUND');
    expect(dataOf(await ws.as('agent', 'query($id: ID!) { knowledgeItem(id: $id) { sensitive } }', { id: fraudId })).knowledgeItem.sensitive).toBe(false);
  });

  it('bad input is BAD_USER_INPUT and leaves nothing half-written', async () => {
    const { ws } = await workspaceWithArticles('Sensitive input');
    expect(codeOf(await ws.as('admin', MARK_ITEM, { input: { id: 'not-a-uuid', sensitive: true } }))).toBe('BAD_USER_INPUT');
    const blank = await ws.as('admin', MARK_TOPIC, { input: { topic: '   ', sensitive: true } });
    expect(codeOf(blank)).toBe('BAD_USER_INPUT');
    expect(blank.errors?.[0]?.message).toContain('topic must not be empty');
    expect(codeOf(await ws.as('admin', MARK_TOPIC, { input: { topic: 'x'.repeat(150), sensitive: true } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ws.as('admin', SETTINGS, { input: { sensitiveThreshold: 1.5 } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ws.as('admin', SETTINGS, { input: { sensitiveThreshold: 0.2 } }))).toBe('BAD_USER_INPUT');
    expect(dataOf(await ws.as('agent', '{ sensitiveTopics }')).sensitiveTopics).toEqual([]);
    expect(dataOf(await ws.as('admin', '{ learningSettings { sensitiveThreshold } }')).learningSettings.sensitiveThreshold).toBeCloseTo(0.95, 5);
  });
});
