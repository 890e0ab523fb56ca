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

it('lists published, unarchived items nobody cited in the last 90 days', async () => {
  // 90 days before 1 June 2026 is 3 March: exportsArticle (last cited 10 January) qualifies; pricing and refunds were
  // cited since; the archived item and the May article (too new to judge) do not count.
  const rows = await sut.uncited(workspaceId, 90, new Date('2026-06-01T00:00:00Z'), 10);
  expect(rows).toEqual([{ knowledgeItemId: exportsArticle, topic: 'reports', title: 'Exporting your data', publishedAt: '2026-01-05 10:00:00.000' }]);
});
