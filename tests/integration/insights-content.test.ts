/** Stale content still being served, and items nobody cites, against a hand-made fixture. Real chDB. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InteractionEvent, insertEvents } from '../../analytics/event-writer';
import { migrateWarehouse } from '../../analytics/migrate';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { StaleContentService } from '../../services/insights/content/stale-content.service';
import { parseConfig, warehouseEnv } from '../../services/shared/config';

const dataPath = mkdtempSync(path.join(tmpdir(), 'loopdesk-content-'));
const workspaceId = randomUUID();
let warehouse: Warehouse;
let sut: StaleContentService;

const [pricing, refunds, exportsArticle, archived, fresh] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const [learnedKept, learnedReverted, learnedPending, learnedVariantReverted] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const event = (eventType: string, occurredAt: string, knowledgeItemId: string, topic = '', payload?: Record<string, unknown>): InteractionEvent => ({
  eventId: randomUUID(),
  workspaceId,
  eventType,
  occurredAt: new Date(occurredAt),
  knowledgeItemId,
  topic,
  payload,
});

const fixture: InteractionEvent[] = [
  // Four articles published in January, one in May.
  event('knowledge_published', '2026-01-05T10:00:00Z', pricing, 'billing', { title: 'Plans and pricing' }),
  event('knowledge_published', '2026-01-05T10:00:00Z', refunds, 'billing'),
  event('knowledge_published', '2026-01-05T10:00:00Z', exportsArticle, 'reports', { title: 'Export to CSV' }),
  // Renamed the next day: the latest title wins.
  event('knowledge_updated', '2026-01-06T10:00:00Z', exportsArticle, 'reports', { title: 'Exporting your data' }),
  event('knowledge_published', '2026-01-05T10:00:00Z', archived, 'reports'),
  event('knowledge_published', '2026-05-20T10:00:00Z', fresh, 'reports'),
  event('knowledge_archived', '2026-02-01T10:00:00Z', archived, 'reports'),
  // A pricing change flags pricing and refunds on 1 March; refunds is edited the next day, pricing never.
  event('knowledge_flagged_stale', '2026-03-01T09:00:00Z', pricing, 'billing'),
  event('knowledge_flagged_stale', '2026-03-01T09:00:00Z', refunds, 'billing'),
  event('knowledge_updated', '2026-03-02T09:00:00Z', refunds, 'billing'),
  // Pricing is cited once before the flag and three times after; refunds twice after its edit.
  event('answer_shown', '2026-02-20T09:00:00Z', pricing, 'billing'),
  event('answer_shown', '2026-03-05T09:00:00Z', pricing, 'billing'),
  event('answer_shown', '2026-04-05T09:00:00Z', pricing, 'billing'),
  event('answer_shown', '2026-05-25T09:00:00Z', pricing, 'billing'),
  event('answer_shown', '2026-03-10T09:00:00Z', refunds, 'billing'),
  event('answer_shown', '2026-05-30T09:00:00Z', refunds, 'billing'),
  // Exports was last cited in January.
  event('answer_shown', '2026-01-10T09:00:00Z', exportsArticle, 'reports'),
  // Learned answers in May: one kept, one whose creation an admin reverted, one still waiting for review, one
  // whose later variant was reverted (the answer itself stays). Only the pending one is never live.
  event('learned_answer_created', '2026-05-10T10:00:00Z', learnedKept, 'billing', { status: 'published', title: 'Refund to a closed card' }),
  event('learned_answer_created', '2026-05-10T11:00:00Z', learnedReverted, 'billing', { status: 'published' }),
  event('learning_reverted', '2026-05-11T11:00:00Z', learnedReverted, 'billing', { kind: 'learned_answer_created' }),
  event('learned_answer_created', '2026-05-10T12:00:00Z', learnedPending, 'billing', { status: 'pending_review' }),
  event('learned_answer_created', '2026-05-10T13:00:00Z', learnedVariantReverted, 'billing', { status: 'published' }),
  event('learning_reverted', '2026-05-12T13:00:00Z', learnedVariantReverted, 'billing', { kind: 'question_variant_added' }),
  event('answer_shown', '2026-05-28T09:00:00Z', learnedVariantReverted, 'billing'),
  // Cited after the window of the last test: does not make exports cited within it.
  event('answer_shown', '2026-06-02T09:00:00Z', exportsArticle, 'reports'),
];

beforeAll(async () => {
  warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: dataPath }));
  await migrateWarehouse(warehouse);
  await insertEvents(warehouse, fixture);
  sut = new StaleContentService(warehouse);
});

afterAll(async () => {
  await warehouse?.close();
  rmSync(dataPath, { recursive: true, force: true });
});

it('lists items flagged stale and still cited since, with how often', async () => {
  const rows = await sut.staleStillServed(workspaceId, 10);
  expect(rows).toEqual([{ knowledgeItemId: pricing, topic: 'billing', title: 'Plans and pricing', flaggedAt: '2026-03-01 09:00:00.000', timesServed: 3, lastServedAt: '2026-05-25 09:00:00.000' }]);
});

it('as of an earlier time, counts only the citations before it, and lists only what was stale then', async () => {
  expect(await sut.staleStillServed(workspaceId, 10, new Date('2026-04-10T00:00:00Z'))).toEqual([
    { knowledgeItemId: pricing, topic: 'billing', title: 'Plans and pricing', flaggedAt: '2026-03-01 09:00:00.000', timesServed: 2, lastServedAt: '2026-04-05 09:00:00.000' },
  ]);
  // Before the flag, nothing was stale.
  expect(await sut.staleStillServed(workspaceId, 10, new Date('2026-02-25T00:00:00Z'))).toEqual([]);
});

it('lists live items no answer cited in the last 90 days, those published during the window included', async () => {
  // 90 days before 1 June 2026 is 3 March. Exports (last cited 10 January, then only after the window) and the May
  // article (published during the window, never cited) are uncited; so is the kept learned answer. Pricing, refunds
  // and the learned answer whose variant was reverted were cited; the archived item and the reverted learned answer
  // are not live, the pending one never was.
  const sut2 = await sut.uncited(workspaceId, 90, new Date('2026-06-01T00:00:00Z'), 10);
  expect(sut2.items).toEqual([
    { knowledgeItemId: exportsArticle, topic: 'reports', title: 'Exporting your data', publishedAt: '2026-01-05 10:00:00.000' },
    { knowledgeItemId: learnedKept, topic: 'billing', title: 'Refund to a closed card', publishedAt: '2026-05-10 10:00:00.000' },
    { knowledgeItemId: fresh, topic: 'reports', title: '', publishedAt: '2026-05-20 10:00:00.000' },
  ]);
  expect({ uncitedCount: sut2.uncitedCount, publishedCount: sut2.publishedCount }).toEqual({ uncitedCount: 3, publishedCount: 6 });
});

it('with a one-day window, lists what nobody cited that day, however new, and counts beyond the list', async () => {
  const sut2 = await sut.uncited(workspaceId, 1, new Date('2026-05-28T12:00:00Z'), 2);
  // Every live item but the learned answer cited at 09:00 that day; the list stops at two (the oldest: three
  // articles share 5 January, the id breaks the tie), the count does not.
  expect(sut2.items.map((item) => item.knowledgeItemId)).toEqual([pricing, refunds, exportsArticle].sort().slice(0, 2));
  expect({ uncitedCount: sut2.uncitedCount, publishedCount: sut2.publishedCount }).toEqual({ uncitedCount: 5, publishedCount: 6 });
});

it('knows nothing was live before the first publication', async () => {
  expect(await sut.uncited(workspaceId, 30, new Date('2026-01-01T00:00:00Z'), 10)).toEqual({ items: [], uncitedCount: 0, publishedCount: 0 });
});
