/**
 * Spikes against their trailing baseline, linked to product changes, checked against a fixture whose right
 * answers are worked out by hand below. Real chDB.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InteractionEvent, insertEvents } from '../../analytics/event-writer';
import { migrateWarehouse } from '../../analytics/migrate';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { KnowledgeGapsService } from '../../services/insights/gaps/knowledge-gaps.service';
import { SPIKE_DEFAULTS, TopicSpikesService } from '../../services/insights/trends/topic-spikes.service';
import { parseConfig, warehouseEnv } from '../../services/shared/config';

const dataPath = mkdtempSync(path.join(tmpdir(), 'loopdesk-trends-'));
const workspaceId = randomUUID();
let warehouse: Warehouse;

const DAY = 86_400_000;
const windowStart = new Date('2026-03-09T00:00:00Z');
const windowEnd = new Date('2026-03-16T00:00:00Z');

const event = (eventType: string, occurredAt: Date, fields: Partial<InteractionEvent> = {}): InteractionEvent => ({
  eventId: randomUUID(),
  workspaceId,
  eventType,
  occurredAt,
  ...fields,
});
/** `perWeek[i]` questions on `topic` in week i, i = 0 the oldest baseline week, 4 the tested window; spread over each week's days. */
const questions = (topic: string, perWeek: number[]): InteractionEvent[] =>
  perWeek.flatMap((count, week) =>
    Array.from({ length: count }, (_, i) => event('question_asked', new Date(windowStart.getTime() + (week - 4) * 7 * DAY + (i % 7) * DAY + i * 60_000), { topic, conversationId: randomUUID() })),
  );
const change = (id: string, at: string, title: string, productAreas: string[]) =>
  event('product_change_recorded', new Date(at), { payload: { productChangeId: id, title, productAreas, kind: 'release' } });

const [exportRelease, oldExportRelease, invoicing, apiChange] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const fixture: InteractionEvent[] = [
  // export: 2 a week for four weeks, 20 in the window. λ = (8 + 1) / 4 = 2.25.
  ...questions('export', [2, 2, 2, 2, 20]),
  // billing: 10 a week, 14 in the window. λ = 41 / 4 = 10.25; P(X ≥ 14) ≈ 0.16: ordinary.
  ...questions('billing', [10, 10, 10, 10, 14]),
  // ...plus one long billing thread in the window: 20 questions in one conversation are one contact (15 in all,
  // P(X ≥ 15) ≈ 0.10, still ordinary); counted as 34 questions it would look like a spike.
  ...((thread) => Array.from({ length: 20 }, (_, i) => event('question_asked', new Date(windowStart.getTime() + DAY + i * 60_000), { topic: 'billing', conversationId: thread })))(randomUUID()),
  // sso: new, 4 in the window: under the minimum volume of 5.
  ...questions('sso', [0, 0, 0, 0, 4]),
  // api: new, 6 in the window. λ = 1 / 4.
  ...questions('api', [0, 0, 0, 0, 6]),
  // Questions with no topic are not tested.
  ...questions('', [0, 0, 0, 0, 30]),
  // Product changes: one three days before the window naming Export (linked, case aside), one five weeks before
  // (too early), one inside the window that flagged an export article (linked), one naming billing (billing did not spike).
  change(exportRelease, '2026-03-06T10:00:00Z', 'New CSV exporter', ['Export']),
  change(oldExportRelease, '2026-02-01T10:00:00Z', 'Old exporter tweak', ['export']),
  change(invoicing, '2026-03-10T10:00:00Z', 'Invoice layout', ['billing']),
  event('knowledge_flagged_stale', new Date('2026-03-10T10:00:00Z'), { topic: 'export', knowledgeItemId: randomUUID(), payload: { productChangeId: invoicing } }),
  change(apiChange, '2026-03-12T10:00:00Z', 'API v2 rate limits', ['developer platform']),
  // Knowledge gaps in the window: five questions about refunding an annual plan (one asked twice, once in another
  // case), two about SSO with Okta (one taken to a person after an answer); the week before, one annual-plan refund.
  ...[
    'How do I get a refund for my annual plan?',
    'how do i get a refund for my annual plan?  ',
    'Refund my annual plan please',
    'Can I have a refund on the annual plan I cancelled',
    'annual plan refund',
  ].map((text, i) => event('handed_off', new Date(windowStart.getTime() + i * DAY), { text, topic: 'billing' })),
  event('handed_off', new Date('2026-03-10T09:00:00Z'), { text: 'How to configure SSO with Okta', topic: 'sso' }),
  event('escalated', new Date('2026-03-11T09:00:00Z'), { text: 'SSO Okta configuration fails with a SAML error', topic: 'sso' }),
  event('handed_off', new Date('2026-03-04T09:00:00Z'), { text: 'Refund for my annual plan', topic: 'billing' }),
  event('answer_shown', new Date('2026-03-10T09:30:00Z'), { text: 'How do I export invoices?', topic: 'billing' }),
  // Another workspace's spike is never seen.
  ...questions('export', [0, 0, 0, 0, 50]).map((e) => ({ ...e, workspaceId: randomUUID() })),
];

/** P(X ≥ k) for small λ, straight from the definition (fine at these magnitudes). */
const tail = (k: number, lambda: number) => {
  let below = 0;
  for (let i = 0, term = Math.exp(-lambda); i < k; i++, term *= lambda / i) below += term;
  return 1 - below;
};

beforeAll(async () => {
  warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: dataPath }));
  await migrateWarehouse(warehouse);
  await insertEvents(warehouse, fixture);
});

afterAll(async () => {
  await warehouse?.close();
  rmSync(dataPath, { recursive: true, force: true });
});

describe('topic spikes', () => {
  it('flags topics far above their 4-week baseline and links the product changes recorded shortly before', async () => {
    const sut = new TopicSpikesService(warehouse);
    const result = await sut.spikes(workspaceId, { from: windowStart, to: windowEnd, ...SPIKE_DEFAULTS });

    // export, billing, sso and api had questions in the window: significance 0.01 / 4 per topic.
    expect(result.topicsTested).toBe(4);
    expect(result.baselineQuestions).toBe(8 + 40);
    expect(result.spikes.map((s) => s.topic)).toEqual(['export', 'api']);
    const [exportSpike, apiSpike] = result.spikes;
    expect(exportSpike).toMatchObject({ volume: 20, baseline: 2, ratio: 20 / 2.25 });
    expect(exportSpike!.pValue).toBeLessThan(1e-10);
    expect(exportSpike!.productChanges.map((c) => c.title).sort()).toEqual(['Invoice layout', 'New CSV exporter']);
    expect(exportSpike!.productChanges.find((c) => c.id === exportRelease)?.recordedAt).toBe('2026-03-06T10:00:00.000Z');
    expect(apiSpike).toMatchObject({ volume: 6, baseline: 0, ratio: 24, productChanges: [] });
    expect(apiSpike!.pValue / tail(6, 0.25)).toBeCloseTo(1, 6);
  });

  it('a lenient level still needs a large rise: billing stays out, sso comes in once the volume floor drops', async () => {
    const sut = new TopicSpikesService(warehouse);
    const lenient = await sut.spikes(workspaceId, { from: windowStart, to: windowEnd, ...SPIKE_DEFAULTS, significance: 0.5 * 4, minVolume: 1 });
    // With a family-wise level of 2 (0.5 per topic) billing's P ≈ 0.10 passes, but 15 < 1.5 × 10.25 keeps it out;
    // sso (4 vs λ 0.25) now passes the volume floor.
    expect(lenient.spikes.map((s) => s.topic).sort()).toEqual(['api', 'export', 'sso']);
  });

  it('reports nothing for a workspace without history', async () => {
    const sut = new TopicSpikesService(warehouse);
    // The first week of questions, with an empty baseline: every topic is "new", none is news.
    const result = await sut.spikes(workspaceId, { from: new Date('2026-02-09T00:00:00Z'), to: new Date('2026-02-16T00:00:00Z'), ...SPIKE_DEFAULTS });
    expect(result).toEqual({ spikes: [], topicsTested: 2, baselineQuestions: 0 });
  });

  it('refuses a baseline reaching past the longest range, naming the span it would read and the longest window', async () => {
    const sut = new TopicSpikesService(warehouse);
    // 183 days: a range any other query takes, but with 4 baseline windows the read spans 915 days.
    const refused = sut.spikes(workspaceId, { from: new Date('2025-09-14T00:00:00Z'), to: new Date('2026-03-16T00:00:00Z'), ...SPIKE_DEFAULTS });
    await expect(refused).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(refused).rejects.toThrow('The window and its 4 baseline windows span 915 days, more than the 731 days a query may read: shorten the window (at most 146 days with 4 baseline windows)');
    // The longest window it names is taken.
    await expect(sut.spikes(workspaceId, { from: new Date(windowEnd.getTime() - 146 * DAY), to: windowEnd, ...SPIKE_DEFAULTS })).resolves.toMatchObject({ spikes: expect.any(Array) });
  });
});

describe('knowledge gaps', () => {
  it('clusters handed-off and escalated questions by what they ask, with volume against the week before', async () => {
    const sut = new KnowledgeGapsService(warehouse);
    const gaps = await sut.gaps(workspaceId, { from: windowStart, to: windowEnd, first: 10 });

    expect(gaps.map((g) => [g.volume, g.previousVolume])).toEqual([
      [5, 1],
      [2, 0],
    ]);
    const [refunds, sso] = gaps;
    expect(refunds!.terms).toEqual(expect.arrayContaining(['refund', 'annual']));
    // Four wordings this week (the case variant is the same question) and one the week before.
    expect(refunds!.distinctQuestions).toBe(5);
    expect(refunds!.examples.length).toBeLessThanOrEqual(3);
    expect(sso!.terms).toEqual(expect.arrayContaining(['sso', 'okta']));
    expect(sso!.examples.sort()).toEqual(['How to configure SSO with Okta', 'SSO Okta configuration fails with a SAML error']);
  });

  it('narrows to one topic', async () => {
    const sut = new KnowledgeGapsService(warehouse);
    const gaps = await sut.gaps(workspaceId, { from: windowStart, to: windowEnd, first: 10, topic: 'sso' });
    expect(gaps.map((g) => g.volume)).toEqual([2]);
  });
});
