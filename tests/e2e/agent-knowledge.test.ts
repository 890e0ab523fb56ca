/**
 * What agents use to find knowledge and check answers, through the gateway on the real stack. Knowledge search: an
 * article is found by its own title and by a customer's paraphrase, a learned answer by a paraphrase of the question
 * it was taught; filters (kind, topic, status, stale, locale) and cursor paging; roles, workspace isolation and bad
 * input. previewAnswer for agents: what the AI would answer, recording nothing.
 */
import path from 'node:path';
import { readKbJsonl } from '../../services/knowledge/import/knowledge-folder';
import { readLabelledCsv } from '../benchmarks/learning/dataset';
import { devSplit } from '../benchmarks/learning/dev-split';
import { codeOf, dataOf } from '../helpers/graphql';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, claimAndCorrect, createTestWorkspace } from '../helpers/workspace';
import { settledWorkspaceRecords, workspaceRecords } from '../helpers/workspace-records';

jest.setTimeout(240_000);

const BANKING77 = path.join(__dirname, '..', '..', '..', 'shared', 'datasets', 'banking77');

const SEARCH = `query($input: KnowledgeSearchInput) {
  knowledgeItems(input: $input) {
    edges { cursor score matchedQuestion node { id kind status title topic stale locale externalKey } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const IMPORT = 'mutation($input: ImportArticlesInput!) { importArticles(input: $input) { items { id externalKey title topic } } }';

let env: TestStack;
let ws: TestWorkspace;
let items: Array<{ id: string; externalKey: string; title: string; topic: string }>;
const byKey = (key: string) => items.find((i) => i.externalKey === key)!;

async function search(input: Record<string, unknown>, role: 'agent' | 'analyst' | 'admin' = 'agent', workspace = ws) {
  return dataOf(await workspace.as(role, SEARCH, { input })).knowledgeItems as {
    edges: Array<{ cursor: string; score: number | null; matchedQuestion: string | null; node: { id: string; kind: string; status: string; title: string; topic: string; stale: boolean; locale: string; externalKey: string | null } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

beforeAll(async () => {
  env = await startTestStack();
  ws = await createTestWorkspace(env, 'Knowledge search');
  items = dataOf(await ws.as('admin', IMPORT, { input: { articles: readKbJsonl(path.join(BANKING77, 'kb.jsonl')) } })).importArticles.items;
  expect(items).toHaveLength(77);
});

afterAll(async () => {
  await env?.stop();
});

describe('finding the right article', () => {
  it("finds every banking77 article first by its own title", async () => {
    const misses: string[] = [];
    for (const item of items) {
      const first = (await search({ query: item.title, first: 1 })).edges[0];
      if (first?.node.id !== item.id) misses.push(`"${item.title}" → "${first?.node.title ?? 'nothing'}"`);
    }
    expect(misses).toEqual([]);
  });

  it.each([
    ['card_arrival', 'my card still has not come in the post'],
    ['lost_or_stolen_phone', 'someone stole my phone with the app on it, what should I do'],
    ['change_pin', 'how do I update my PIN'],
  ])('finds %s first for a paraphrase: "%s"', async (label, paraphrase) => {
    const { edges } = await search({ query: paraphrase, first: 3 });
    expect(edges[0]?.node.externalKey).toBe(label);
    expect(edges[0]!.score).toBeGreaterThan(edges[1]?.score ?? 0);
  });

  it("ranks the right article in the first five for most customer questions of banking77's dev split (2 per label)", async () => {
    const perLabel = new Map<string, string[]>();
    for (const { text, label } of devSplit(readLabelledCsv(path.join(BANKING77, 'train.csv'))).dev) {
      const seen = perLabel.get(label) ?? [];
      if (seen.length < 2) perLabel.set(label, [...seen, text]);
    }
    let top1 = 0;
    let top5 = 0;
    let total = 0;
    for (const [label, questions] of perLabel) {
      for (const question of questions) {
        const keys = (await search({ query: question, first: 5 })).edges.map((e) => e.node.externalKey);
        total++;
        if (keys[0] === label) top1++;
        if (keys.includes(label)) top5++;
      }
    }
    console.log(`knowledge search over banking77's 77 articles, ${total} dev questions: top-1 ${((100 * top1) / total).toFixed(1)}%, top-5 ${((100 * top5) / total).toFixed(1)}%`);
    expect(total).toBe(154);
    expect(top5 / total).toBeGreaterThan(0.6);
  });

  it('finds a learned answer by a paraphrase of the question it was taught, and says which question matched', async () => {
    const asked = dataOf(
      await ws.as('widget', 'mutation($input: AskInput!) { ask(input: $input) { decision message { id } conversation { id } } }', { input: { text: 'Can my dog be added as a secondary cardholder?' } }),
    ).ask;
    expect(asked.decision).toBe('HANDED_OFF');
    const learned = await claimAndCorrect(ws, asked, 'Only people over 6 can hold a Northwind card; pets cannot be cardholders.', 'id kind status');
    expect(learned).toMatchObject({ kind: 'LEARNED_ANSWER', status: 'PUBLISHED' });

    const { edges } = await search({ query: 'is it possible to add my dog as a cardholder', kind: 'LEARNED_ANSWER' });
    expect(edges[0]?.node.id).toBe(learned.id);
    expect(edges[0]!.matchedQuestion).toBe('Can my dog be added as a secondary cardholder?');
    expect(edges.every((e) => e.node.kind === 'LEARNED_ANSWER')).toBe(true);
  });
});

describe('filters', () => {
  it('narrows by topic, status, stale and locale, in a list and in a search', async () => {
    const own = await createTestWorkspace(env, 'Search filters');
    const articles = [
      { externalKey: 'a', topic: 'cards', title: 'Freezing a card', body: 'Freeze a card from Card > Freeze.' },
      { externalKey: 'b', topic: 'cards', title: 'Ordering a card', body: 'Order a card from Card > Order.' },
      { externalKey: 'c', topic: 'transfers', title: 'Sending a transfer', body: 'Send money from Payments > Transfer.' },
      { externalKey: 'd', topic: 'cards', title: 'Congelar una tarjeta', body: 'Congela una tarjeta desde Tarjeta > Congelar.', locale: 'es' },
    ];
    const created: typeof items = dataOf(await own.as('admin', IMPORT, { input: { articles } })).importArticles.items;
    const id = (key: string) => created.find((i) => i.externalKey === key)!.id;
    dataOf(await own.as('admin', 'mutation($input: KnowledgeItemRef!) { archiveKnowledgeItem(input: $input) { id } }', { input: { id: id('b') } }));
    dataOf(
      await own.as('admin', 'mutation($input: RecordProductChangeInput!) { recordProductChange(input: $input) { id } }', {
        input: { kind: 'RELEASE_NOTE', title: 'Transfers moved', description: 'Payments > Transfer is now Money > Send.', productAreas: [], knowledgeItemIds: [id('c')] },
      }),
    );
    const keysOf = async (input: Record<string, unknown>) => (await search(input, 'agent', own)).edges.map((e) => e.node.externalKey).sort();

    expect(await keysOf({})).toEqual(['a', 'b', 'c', 'd']);
    expect(await keysOf({ topic: 'cards' })).toEqual(['a', 'b', 'd']);
    expect(await keysOf({ status: 'ARCHIVED' })).toEqual(['b']);
    expect(await keysOf({ status: 'PUBLISHED', topic: 'cards' })).toEqual(['a', 'd']);
    expect(await keysOf({ stale: true })).toEqual(['c']);
    expect(await keysOf({ stale: false })).toEqual(['a', 'b', 'd']);
    expect(await keysOf({ locale: 'es' })).toEqual(['d']);
    expect(await keysOf({ kind: 'LEARNED_ANSWER' })).toEqual([]);
    expect(await keysOf({ query: 'card' })).toEqual(['a', 'b']);
    expect(await keysOf({ query: 'card', status: 'PUBLISHED' })).toEqual(['a']);
    expect(await keysOf({ query: 'transfer', stale: true })).toEqual(['c']);
    expect(await keysOf({ query: 'transfer', stale: false })).toEqual([]);
    expect((await search({ locale: 'es' }, 'agent', own)).edges[0]!.node.locale).toBe('es');
  });
});

describe('paging', () => {
  it('walks a list page by page, newest change first, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await search({ first: 10, kind: 'ARTICLE', ...(after ? { after } : {}) });
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(seen).toHaveLength(77);
    expect(new Set(seen)).toEqual(new Set(items.map((i) => i.id)));
    const all = (await search({ first: 100, kind: 'ARTICLE' })).edges.map((e) => e.node.id);
    expect(seen).toEqual(all);
  });

  it('pages a search in the order of one big page', async () => {
    const query = 'card payment';
    const all = (await search({ query, first: 100 })).edges.map((e) => e.node.id);
    expect(all.length).toBeGreaterThan(12);
    const paged: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 30; pages++) {
      const page = await search({ query, first: 5, ...(after ? { after } : {}) });
      paged.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(paged).toEqual(all);
  });
});

describe('who may search', () => {
  it('agents, analysts and admins may; a widget key is FORBIDDEN', async () => {
    for (const role of ['agent', 'analyst', 'admin'] as const) {
      expect((await search({ query: 'card', first: 1 }, role)).edges).toHaveLength(1);
    }
    expect(codeOf(await ws.as('widget', SEARCH, { input: { query: 'card' } }))).toBe('FORBIDDEN');
  });

  it("never shows another workspace's knowledge", async () => {
    const other = await createTestWorkspace(env, 'Search elsewhere');
    expect((await search({ query: byKey('card_arrival').title }, 'agent', other)).edges).toEqual([]);
    expect((await search({}, 'admin', other)).edges).toEqual([]);
  });

  it.each([
    ['a page size of 0', { first: 0 }],
    ['a page size over 100', { first: 101 }],
    ['a cursor that is not one', { after: 'not-a-cursor' }],
    ['a query of only spaces', { query: '   ' }],
    ['a locale that is not an ISO 639 code', { locale: 'English' }],
  ])('refuses %s with BAD_USER_INPUT', async (_case, input) => {
    expect(codeOf(await ws.as('agent', SEARCH, { input }))).toBe('BAD_USER_INPUT');
  });

  it("refuses a list's cursor in a search (and a search's in a list) with BAD_USER_INPUT", async () => {
    const listCursor = (await search({ first: 1 })).pageInfo.endCursor!;
    const searchCursor = (await search({ query: 'card', first: 1 })).pageInfo.endCursor!;
    expect(codeOf(await ws.as('agent', SEARCH, { input: { query: 'card', after: listCursor } }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await ws.as('agent', SEARCH, { input: { after: searchCursor } }))).toBe('BAD_USER_INPUT');
  });
});

describe('previewAnswer for agents', () => {
  const PREVIEW = 'query($input: PreviewAnswerInput!) { previewAnswer(input: $input) { decision handOffReason confidence threshold text candidate { id } citations { knowledgeItem { id } } } }';
  const RECORD = `{
    workspace { conversations(page: { first: 100 }) { edges { node { id } } } }
    learningEvents(filter: { first: 200 }) { events { id } }
  }`;
  const statsOf = async (id: string) => dataOf(await ws.as('agent', 'query($id: ID!) { knowledgeItem(id: $id) { stats { shown } } }', { id })).knowledgeItem.stats;

  it('shows an agent what the AI would answer for a question, the same as an admin sees, and records nothing', async () => {
    const question = byKey('card_arrival').title;
    const before = dataOf(await ws.as('admin', RECORD));
    const shownBefore = await statsOf(byKey('card_arrival').id);
    const recordsBefore = await settledWorkspaceRecords(env.databaseUrl, ws.id);

    const asAgent = dataOf(await ws.as('agent', PREVIEW, { input: { text: question } })).previewAnswer;
    const asAdmin = dataOf(await ws.as('admin', PREVIEW, { input: { text: question } })).previewAnswer;
    expect(asAgent.candidate).toEqual({ id: byKey('card_arrival').id });
    expect(asAgent).toEqual(asAdmin);

    expect(dataOf(await ws.as('admin', RECORD))).toEqual(before);
    expect(await statsOf(byKey('card_arrival').id)).toEqual(shownBefore);
    // Nor anything the API does not show: no question variant, answer outcome or learning event, no outbox event.
    expect(await workspaceRecords(env.databaseUrl, ws.id)).toEqual(recordsBefore);
  });

  it('is FORBIDDEN to analysts and widget keys', async () => {
    for (const role of ['analyst', 'widget'] as const) {
      expect(codeOf(await ws.as(role, PREVIEW, { input: { text: 'Where is my card?' } }))).toBe('FORBIDDEN');
    }
  });

  it("answers from the agent's own workspace only", async () => {
    const other = await createTestWorkspace(env, 'Preview elsewhere');
    const preview = dataOf(await other.as('agent', PREVIEW, { input: { text: byKey('card_arrival').title } })).previewAnswer;
    expect(preview).toMatchObject({ decision: 'HANDED_OFF', candidate: null, citations: [] });
  });

  it('refuses an empty question with BAD_USER_INPUT', async () => {
    expect(codeOf(await ws.as('agent', PREVIEW, { input: { text: '' } }))).toBe('BAD_USER_INPUT');
  });
});
