/**
 * Support figures from the warehouse, checked against a fixture of events whose right answers are worked out
 * by hand below. Real chDB in a temporary directory.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InteractionEvent, insertEvents } from '../../analytics/event-writer';
import { migrateWarehouse } from '../../analytics/migrate';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { LearningCurveService } from '../../services/insights/learning/learning-curve.service';
import { Bucket, SupportMetricsService } from '../../services/insights/metrics/support-metrics.service';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { stampFirsts } from '../helpers/conversation-firsts';

const dataPath = mkdtempSync(path.join(tmpdir(), 'loopdesk-insights-'));
const workspaceId = randomUUID();
let warehouse: Warehouse;
let sut: SupportMetricsService;

const at = (iso: string) => new Date(iso);
const [A, B, C, D] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const [learnedLogin, learnedBilling] = [randomUUID(), randomUUID()];
const event = (eventType: string, occurredAt: string, fields: Partial<InteractionEvent> = {}): InteractionEvent => ({
  eventId: randomUUID(),
  workspaceId,
  eventType,
  occurredAt: at(occurredAt),
  ...fields,
});

// Paris is UTC+1 in early March 2026. Monday 2 March starts the ISO week.
const answerD = event('answer_shown', '2026-03-04T08:00:00Z', { conversationId: D, topic: 'billing', plan: 'pro' });
// Conversation stamps each conversation's first reply and first resolution with their durations (stampFirsts).
const fixture: InteractionEvent[] = stampFirsts([
  event('question_asked', '2026-03-02T10:00:00Z', { conversationId: A, topic: 'billing', plan: 'pro' }),
  event('answer_shown', '2026-03-02T10:00:01Z', { conversationId: A, topic: 'billing', plan: 'pro' }),
  // 23:30 UTC on the 2nd is 00:30 on the 3rd in Paris.
  event('question_asked', '2026-03-02T23:30:00Z', { conversationId: B, topic: 'login', plan: 'free' }),
  event('handed_off', '2026-03-02T23:30:01Z', { conversationId: B, topic: 'login', plan: 'free', handoffReason: 'low_confidence' }),
  event('question_asked', '2026-03-03T09:00:00Z', { conversationId: C, topic: 'billing', plan: 'pro' }),
  event('handed_off', '2026-03-03T09:00:01Z', { conversationId: C, topic: 'billing', plan: 'pro', handoffReason: 'no_knowledge' }),
  event('agent_replied', '2026-03-03T09:10:01Z', { conversationId: C, topic: 'billing' }),
  event('resolved', '2026-03-03T12:00:00Z', { conversationId: C, topic: 'billing' }),
  // Conversation stamps a request for a person and a rating with the plan and page of the answer they are about.
  event('escalated', '2026-03-03T09:05:00Z', { conversationId: A, topic: 'billing', plan: 'pro' }),
  event('resolved', '2026-03-03T10:00:00Z', { conversationId: A, topic: 'billing' }),
  event('answer_rated', '2026-03-03T10:01:00Z', { conversationId: A, topic: 'billing', rating: 1 }),
  event('question_asked', '2026-03-04T08:00:00Z', { conversationId: D, topic: 'billing', plan: 'pro' }),
  answerD,
  event('answer_rated', '2026-03-04T08:05:00Z', { conversationId: D, topic: 'billing', plan: 'pro', rating: -1 }),
  // What the AI learned: week of 2 March — two corrections, one published learned answer and one waiting for
  // review, one new phrasing, one topic opened; week of 9 March — one topic closed, one approval.
  event('answer_corrected', '2026-03-03T11:00:00Z', { conversationId: B, topic: 'login' }),
  event('answer_corrected', '2026-03-03T11:10:00Z', { conversationId: C, topic: 'billing' }),
  event('learned_answer_created', '2026-03-03T11:00:01Z', { topic: 'login', knowledgeItemId: learnedLogin, payload: { status: 'published' } }),
  event('learned_answer_created', '2026-03-03T11:10:01Z', { topic: 'billing', knowledgeItemId: learnedBilling, payload: { status: 'pending_review' } }),
  event('question_variant_added', '2026-03-04T12:00:00Z', { topic: 'login' }),
  event('threshold_moved', '2026-03-05T12:00:00Z', { topic: 'login', payload: { topic: 'login', before: 0.2, after: 0.12 } }),
  event('threshold_moved', '2026-03-10T12:00:00Z', { topic: 'billing', payload: { topic: 'billing', before: 0.2, after: 1.01 } }),
  event('learned_answer_published', '2026-03-10T13:00:00Z', { topic: 'billing', knowledgeItemId: learnedBilling }),
  event('outcome_repeat_contact', '2026-03-04T09:00:00Z', { topic: 'billing' }),
  // Another workspace, same days: never counted.
  { ...event('question_asked', '2026-03-03T09:00:00Z', { conversationId: randomUUID() }), workspaceId: randomUUID() },
]);

const range = { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-08T00:00:00Z') };
const twoWeeks = { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-15T00:00:00Z') };
const pick = (b: Bucket) => ({
  start: b.start,
  questions: b.questions,
  answered: b.answered,
  handedOff: b.handedOff,
  escalatedByCustomer: b.escalatedByCustomer,
  resolved: b.resolved,
  ratedUp: b.ratedUp,
  ratedDown: b.ratedDown,
});

beforeAll(async () => {
  warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: dataPath }));
  await migrateWarehouse(warehouse);
  await insertEvents(warehouse, fixture);
  // The relay delivers at least once: a second copy of an event must not count twice.
  await insertEvents(warehouse, [answerD]);
  sut = new SupportMetricsService(warehouse);
});

afterAll(async () => {
  await warehouse?.close();
  rmSync(dataPath, { recursive: true, force: true });
});

describe('support figures', () => {
  it('counts per day in the workspace time zone, each event once', async () => {
    const result = await sut.metrics(workspaceId, { ...range, granularity: 'day', timeZone: 'Europe/Paris' });
    // Every day of the range in Paris, quiet ones at zero: [01:00 on the 1st, 01:00 on the 8th) there.
    const quiet = (start: string) => ({ start, questions: 0, answered: 0, handedOff: 0, escalatedByCustomer: 0, resolved: 0, ratedUp: 0, ratedDown: 0 });
    expect(result.buckets.map(pick)).toEqual([
      quiet('2026-03-01'),
      { start: '2026-03-02', questions: 1, answered: 1, handedOff: 0, escalatedByCustomer: 0, resolved: 0, ratedUp: 0, ratedDown: 0 },
      { start: '2026-03-03', questions: 2, answered: 0, handedOff: 2, escalatedByCustomer: 1, resolved: 2, ratedUp: 1, ratedDown: 0 },
      { start: '2026-03-04', questions: 1, answered: 1, handedOff: 0, escalatedByCustomer: 0, resolved: 0, ratedUp: 0, ratedDown: 1 },
      quiet('2026-03-05'),
      quiet('2026-03-06'),
      quiet('2026-03-07'),
      quiet('2026-03-08'),
    ]);
    const empty = result.buckets[0]!;
    expect([empty.automationRate, empty.handOffRate, empty.resolutionRate, empty.satisfaction, empty.medianFirstResponseSeconds]).toEqual([null, null, null, null, null]);
    // Over the range: 2 answered of 4 decisions; 2 hand-offs + 1 customer escalation of 4 questions;
    // 2 resolutions over 4 conversations; 1 up of 2 ratings.
    expect(result.totals).toMatchObject({ automationRate: 0.5, handOffRate: 0.75, resolutionRate: 0.5, satisfaction: 0.5 });
    expect(result.handOffReasons).toEqual([
      { reason: 'low_confidence', count: 1 },
      { reason: 'no_knowledge', count: 1 },
    ]);
  });

  it('measures time to first human response and to resolution by the day each conversation started', async () => {
    const result = await sut.metrics(workspaceId, { ...range, granularity: 'day', timeZone: 'Europe/Paris' });
    // First responses: B handed off 23:30:01, corrected 11:00:00 next day = 41,399 s; C handed off 09:00:01, replied
    // 09:10:01 = 600 s. Resolutions: A asked 10:00 on the 2nd, resolved 10:00 on the 3rd = 86,400 s; C asked 09:00,
    // resolved 12:00 = 10,800 s. B and C started on the 3rd in Paris, A on the 2nd; D has neither.
    const times = (b: Bucket) => [b.start, b.medianFirstResponseSeconds, b.p90FirstResponseSeconds, b.medianResolutionSeconds, b.p90ResolutionSeconds];
    const none = (start: string) => [start, null, null, null, null];
    expect(result.buckets.map(times)).toEqual([
      none('2026-03-01'),
      ['2026-03-02', null, null, 86_400, 86_400],
      ['2026-03-03', 20_999.5, expect.closeTo(600 + 0.9 * 40_799, 6), 10_800, 10_800],
      none('2026-03-04'),
      none('2026-03-05'),
      none('2026-03-06'),
      none('2026-03-07'),
      none('2026-03-08'),
    ]);
    // Over the range (linear interpolation between the two values of each): medians halfway, p90 nine tenths of the way.
    expect(result.totals.medianFirstResponseSeconds).toBe(20_999.5);
    expect(result.totals.medianResolutionSeconds).toBe(48_600);
    expect(result.totals.p90ResolutionSeconds).toBeCloseTo(10_800 + 0.9 * 75_600, 6);
  });

  it('computes the range\'s times, the buckets\' or both, each scope alone giving what metrics gives', async () => {
    const query = { ...range, granularity: 'day' as const, timeZone: 'Europe/Paris' };
    const all = await sut.metrics(workspaceId, query);
    const [rangeOnly, bucketsOnly, both] = await Promise.all((['range', 'buckets', 'both'] as const).map((scope) => sut.responseTimes(workspaceId, query, scope)));
    const timesOf = ({ medianFirstResponseSeconds, p90FirstResponseSeconds, medianResolutionSeconds, p90ResolutionSeconds }: Bucket) =>
      ({ medianFirstResponseSeconds, p90FirstResponseSeconds, medianResolutionSeconds, p90ResolutionSeconds });
    expect(rangeOnly.range).toEqual(timesOf(all.totals));
    expect(rangeOnly.buckets.size).toBe(0);
    // A bucket with no stamped conversation (the 4th) has no row.
    const withTimes = all.buckets.filter((b) => b.medianResolutionSeconds !== null || b.medianFirstResponseSeconds !== null);
    expect(Object.fromEntries(bucketsOnly.buckets)).toEqual(Object.fromEntries(withTimes.map((b) => [b.start, timesOf(b)])));
    expect(bucketsOnly.range.medianResolutionSeconds).toBeNull();
    expect(both).toEqual({ range: rangeOnly.range, buckets: bucketsOnly.buckets });
  });

  it('counts a reply that came after the range for the conversation that started in it', async () => {
    const late = { from: at('2026-03-01T00:00:00Z'), to: at('2026-03-03T00:00:00Z') };
    const result = await sut.metrics(workspaceId, { ...late, granularity: 'week', timeZone: 'UTC' });
    // B started 23:30 UTC on the 2nd; its correction came on the 3rd, after the range. A resolved on the 3rd too.
    expect(result.totals.medianFirstResponseSeconds).toBe(41_399);
    expect(result.totals.medianResolutionSeconds).toBe(86_400);
  });

  it('moves a late-evening question to the right day when the zone is UTC', async () => {
    const result = await sut.metrics(workspaceId, { ...range, granularity: 'day', timeZone: 'UTC' });
    expect(result.buckets.map((b) => [b.start, b.questions])).toEqual([
      ['2026-03-01', 0],
      ['2026-03-02', 2],
      ['2026-03-03', 1],
      ['2026-03-04', 1],
      ['2026-03-05', 0],
      ['2026-03-06', 0],
      ['2026-03-07', 0],
    ]);
  });

  it('groups by ISO week and by month', async () => {
    const week = await sut.metrics(workspaceId, { ...range, granularity: 'week', timeZone: 'Europe/Paris' });
    // The range starts on a Sunday in Paris: the week of Monday 23 February is in it, empty.
    expect(week.buckets.map((b) => [b.start, b.questions, b.answered, b.handedOff])).toEqual([
      ['2026-02-23', 0, 0, 0],
      ['2026-03-02', 4, 2, 2],
    ]);
    const month = await sut.metrics(workspaceId, { ...range, granularity: 'month', timeZone: 'Europe/Paris' });
    expect(month.buckets.map((b) => [b.start, b.questions])).toEqual([['2026-03-01', 4]]);
  });

  it('filters by plan and by topic', async () => {
    const pro = await sut.metrics(workspaceId, { ...range, granularity: 'week', timeZone: 'Europe/Paris', plan: 'pro' });
    // Questions A, C, D are on the pro plan; A and D were answered, C handed off.
    expect(pick(pro.totals)).toMatchObject({ questions: 3, answered: 2, handedOff: 1 });
    expect(pro.totals.automationRate).toBeCloseTo(2 / 3, 10);
    const login = await sut.metrics(workspaceId, { ...range, granularity: 'week', timeZone: 'Europe/Paris', topic: 'login' });
    expect(pick(login.totals)).toMatchObject({ questions: 1, answered: 0, handedOff: 1 });
    expect(login.handOffReasons).toEqual([{ reason: 'low_confidence', count: 1 }]);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(sut.metrics(workspaceId, { from: range.to, to: range.from, granularity: 'day', timeZone: 'UTC' })).rejects.toThrow(/from must be before to/);
  });
});

describe('the learning curve and friction points', () => {
  it('counts what the AI learned per week', async () => {
    const curve = await new LearningCurveService(warehouse).curve(workspaceId, { ...twoWeeks, granularity: 'week', timeZone: 'Europe/Paris' });
    expect(curve).toEqual([
      // The range starts on Sunday 1 March in Paris: its week (from Monday 23 February) is there, quiet.
      { start: '2026-02-23', correctionsAbsorbed: 0, learnedAnswersPublished: 0, phrasingsLearned: 0, topicsOpened: 0, topicsClosed: 0, questions: 0, automationRate: null },
      // Week of 2 March: 2 answered (A, D) of 4 decisions.
      { start: '2026-03-02', correctionsAbsorbed: 2, learnedAnswersPublished: 1, phrasingsLearned: 1, topicsOpened: 1, topicsClosed: 0, questions: 4, automationRate: 0.5 },
      { start: '2026-03-09', correctionsAbsorbed: 0, learnedAnswersPublished: 1, phrasingsLearned: 0, topicsOpened: 0, topicsClosed: 1, questions: 0, automationRate: null },
    ]);
  });

  it('ranks topics by plan and page by repeat contacts, down-ratings and hand-offs', async () => {
    const points = await new LearningCurveService(warehouse).friction(workspaceId, twoWeeks.from, twoWeeks.to, 10);
    // Each signal in the place it carries: billing/pro = escalation of A + hand-off of C + the down-rating of D = 3;
    // the repeat contact (from knowledge) carries no plan: billing/'' = 1; login/free: B = 1.
    expect(points).toEqual([
      { topic: 'billing', plan: 'pro', page: '', pageArea: '', repeatContacts: 0, downRatings: 1, handOffs: 2, dropOffs: 0 },
      { topic: 'billing', plan: '', page: '', pageArea: '', repeatContacts: 1, downRatings: 0, handOffs: 0, dropOffs: 0 },
      { topic: 'login', plan: 'free', page: '', pageArea: '', repeatContacts: 0, downRatings: 0, handOffs: 1, dropOffs: 0 },
    ]);
  });

  it('lists drop-offs, each weighing a quarter of a hand-off in the ranking', async () => {
    const elsewhere = randomUUID();
    const dropOff = (minute: number) => ({ eventId: randomUUID(), workspaceId: elsewhere, eventType: 'dropped_off', occurredAt: at(`2026-03-03T10:${String(minute).padStart(2, '0')}:00Z`), conversationId: randomUUID(), topic: 'exports', plan: 'pro', page: '/exports' });
    await insertEvents(warehouse, [
      { eventId: randomUUID(), workspaceId: elsewhere, eventType: 'handed_off', occurredAt: at('2026-03-03T09:00:00Z'), conversationId: randomUUID(), topic: 'login', plan: 'free' },
      ...[1, 2, 3].map(dropOff),
    ]);
    const friction = () => new LearningCurveService(warehouse).friction(elsewhere, twoWeeks.from, twoWeeks.to, 10);
    // Three drop-offs (0.75) rank under one hand-off (1)…
    expect((await friction()).map((p) => [p.topic, p.handOffs, p.dropOffs])).toEqual([['login', 1, 0], ['exports', 0, 3]]);
    // …five (1.25) above it.
    await insertEvents(warehouse, [4, 5].map(dropOff));
    expect((await friction()).map((p) => [p.topic, p.page, p.dropOffs])).toEqual([['exports', '/exports', 5], ['login', '', 0]]);
  });
});
