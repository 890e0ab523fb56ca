/**
 * The rollups answer exactly what raw events answer: every insights query that reads a rollup is run both ways
 * (services built with readFrom 'rollups' and 'raw') over the same data, for every filter combination the API
 * offers, each granularity, time zones on and off whole hours, and ranges that do and do not start on an hour.
 * The data: a small hand-made fixture (re-delivered in part, within one insert and across inserts), a seeded
 * random sample shaped like the services' events, and a sample of bench:warehouse's generated events (its
 * largest workspace). Also: re-delivered events reach the rollups once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EVENT_INSERT_SETTINGS, InteractionEvent, insertEvents } from '../../analytics/event-writer';
import { migrateWarehouse } from '../../analytics/migrate';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { ActivityService } from '../../services/insights/activity/activity.service';
import { StaleContentService } from '../../services/insights/content/stale-content.service';
import { KnowledgeGapsService } from '../../services/insights/gaps/knowledge-gaps.service';
import { LearningCurveService } from '../../services/insights/learning/learning-curve.service';
import { MetricsQuery, SupportMetricsService } from '../../services/insights/metrics/support-metrics.service';
import type { AskerContext } from '../../services/insights/asker-context';
import type { ReadFrom } from '../../services/insights/rollup-window';
import { SPIKE_DEFAULTS, TopicSpikesService } from '../../services/insights/trends/topic-spikes.service';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { productAreasOfPage } from '../../services/shared/product-areas';
import { prng } from '../../services/shared/random';
import { stampFirsts } from '../helpers/conversation-firsts';
import { GENERATED_COLUMNS, GENERATED_EVENTS, GENERATED_KNOWLEDGE_EVENTS, GENERATED_WORKSPACES } from '../helpers/generated-events';

const dataPath = mkdtempSync(path.join(tmpdir(), 'loopdesk-rollups-'));
const generatedWorkspaces = Array.from({ length: GENERATED_WORKSPACES }, () => randomUUID());
/** The generator's largest workspace (a quarter of its events). */
const generatedWorkspace = generatedWorkspaces[0]!;
const GENERATED_START = Date.parse('2026-05-04T00:00:00Z');
const workspaceId = randomUUID();
const otherWorkspace = randomUUID();
let warehouse: Warehouse;

const TOPICS = ['billing', 'login', 'exports'];
const PLANS = ['free', 'pro', ''];
const PAGES = ['/billing', '/settings', ''];
const CHANNELS = ['in_app', 'email'];
const START = Date.parse('2026-03-01T00:00:00Z');
/** Questions handed off, spelled apart by case and surrounding space: the gaps query counts them as one. */
const GAP_QUESTIONS = ['How do I export?', 'how do i export?', '  How do I export?', 'Why was I charged twice', 'reset my password', 'Reset my password '];
/** Knowledge items: i0-i5 have a lifecycle below (published, flagged, archived, learned, reverted); i6 never published. */
const ITEMS = ['i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6'];
const DAYS = 21;

function sample(count: number, seed: number): InteractionEvent[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const events: InteractionEvent[] = [];
  while (events.length < count) {
    const conversationId = random() < 0.03 ? '' : randomUUID();
    const dims = { topic: pick(TOPICS), plan: pick(PLANS), page: pick(PAGES), channel: pick(CHANNELS) };
    let at = START + Math.floor(random() * DAYS * 86_400_000);
    const next = (maxMs: number) => new Date((at += 1 + Math.floor(random() * maxMs)));
    const add = (eventType: string, fields: Partial<InteractionEvent> = {}) => events.push({ eventId: randomUUID(), workspaceId, eventType, occurredAt: next(3 * 3_600_000), conversationId, ...fields });
    add('question_asked', { ...dims, text: 'q' });
    const question = pick(GAP_QUESTIONS);
    // A follow-up sometimes comes with other dimensions: filters then see the conversation differently.
    if (random() < 0.3) add('question_asked', { ...dims, topic: pick(TOPICS), page: pick(PAGES) });
    if (random() < 0.7) {
      add('answer_shown', { ...dims, knowledgeItemId: pick(ITEMS) });
      if (random() < 0.3) add('answer_rated', { ...dims, rating: random() < 0.6 ? 1 : -1 });
      if (random() < 0.1) add('escalated', { ...dims, text: question });
      else if (random() < 0.1) add('dropped_off', dims);
      if (random() < 0.05) add('outcome_repeat_contact', { topic: dims.topic });
    } else {
      add('handed_off', { ...dims, handoffReason: pick(['low_confidence', 'no_knowledge', 'policy']), text: question });
      if (random() < 0.8) add(random() < 0.7 ? 'agent_replied' : 'answer_corrected', { topic: dims.topic });
    }
    if (random() < 0.6) {
      add('resolved', { topic: dims.topic });
      // CSAT after resolution: a score from 1 to 5, with the conversation's topic and channel (no plan or page).
      if (random() < 0.5) add('csat_rated', { topic: dims.topic, channel: dims.channel, rating: 1 + Math.floor(random() * 5) });
    }
    if (random() < 0.05) add('threshold_moved', { topic: dims.topic, payload: { before: 0.5, after: random() < 0.5 ? 0.4 : 0.6 } });
    if (random() < 0.05) add('question_variant_added', { topic: dims.topic });
  }
  return events;
}

const fixed = (eventType: string, iso: string, fields: Partial<InteractionEvent> = {}): InteractionEvent => ({
  eventId: randomUUID(),
  workspaceId,
  eventType,
  occurredAt: new Date(iso),
  ...fields,
});
const [A, B, C, D, E] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
/** Hand-made: events on both sides of hour and day boundaries, and of the ranges below. */
const handMade: InteractionEvent[] = stampFirsts([
  fixed('question_asked', '2026-03-02T09:59:59.999Z', { conversationId: A, topic: 'billing', plan: 'pro', page: '/billing', channel: 'in_app' }),
  fixed('answer_shown', '2026-03-02T10:00:00.000Z', { conversationId: A, topic: 'billing', plan: 'pro', page: '/billing', channel: 'in_app' }),
  fixed('question_asked', '2026-03-02T10:17:23.456Z', { conversationId: A, topic: 'login', plan: 'pro', page: '/settings', channel: 'in_app' }),
  fixed('question_asked', '2026-03-02T23:30:00Z', { conversationId: B, topic: 'login', plan: 'free', channel: 'email' }),
  fixed('handed_off', '2026-03-02T23:30:01Z', { conversationId: B, topic: 'login', plan: 'free', channel: 'email', handoffReason: 'no_knowledge' }),
  fixed('agent_replied', '2026-03-03T00:10:00Z', { conversationId: B, topic: 'login' }),
  fixed('resolved', '2026-03-03T01:00:00Z', { conversationId: B, topic: 'login' }),
  fixed('csat_rated', '2026-03-03T01:00:00Z', { conversationId: B, topic: 'login', channel: 'email', rating: 4 }),
  fixed('csat_rated', '2026-03-02T10:59:59.999Z', { conversationId: A, topic: 'login', channel: 'in_app', rating: 2 }),
  fixed('question_asked', '2026-03-08T22:59:00Z', { conversationId: C, topic: 'exports', plan: 'pro', channel: 'in_app' }),
  fixed('handed_off', '2026-03-08T23:01:00Z', { conversationId: C, topic: 'exports', plan: 'pro', channel: 'in_app', handoffReason: 'policy' }),
  fixed('answer_corrected', '2026-04-02T10:00:00Z', { conversationId: C, topic: 'exports' }),
  // Pages whose first product area is not the whole path: settings (with billing deeper), billing (a hash route).
  fixed('question_asked', '2026-03-03T10:30:00Z', { conversationId: D, topic: 'billing', plan: 'pro', page: '/settings/billing/invoices/42', channel: 'in_app' }),
  fixed('answer_shown', '2026-03-03T10:30:01Z', { conversationId: D, topic: 'billing', plan: 'pro', page: '/settings/billing/invoices/42', channel: 'in_app' }),
  fixed('answer_rated', '2026-03-03T10:31:00Z', { conversationId: D, topic: 'billing', plan: 'pro', page: '/settings/billing/invoices/42', channel: 'in_app', rating: -1 }),
  fixed('question_asked', '2026-03-03T11:00:00Z', { conversationId: E, topic: 'billing', plan: 'free', page: 'https://app.example.com/#/Billing?tab=cards', channel: 'in_app' }),
  fixed('handed_off', '2026-03-03T11:00:01Z', { conversationId: E, topic: 'billing', plan: 'free', page: 'https://app.example.com/#/Billing?tab=cards', channel: 'in_app', handoffReason: 'policy' }),
]);
/** Items' lifecycle: flags before, inside and after the ranges, edits after a flag, an archive, learned answers reverted or not. */
const lifecycle: InteractionEvent[] = [
  fixed('knowledge_published', '2026-02-20T08:00:00Z', { knowledgeItemId: 'i0', topic: 'billing', payload: { title: 'Refunds' } }),
  fixed('knowledge_published', '2026-02-20T08:00:00Z', { knowledgeItemId: 'i1', topic: 'login', payload: { title: 'Sign in' } }),
  fixed('knowledge_published', '2026-02-21T08:00:00Z', { knowledgeItemId: 'i2', topic: 'exports', payload: { title: 'Exports' } }),
  fixed('knowledge_published', '2026-03-05T12:34:56.789Z', { knowledgeItemId: 'i3', topic: 'exports', payload: { title: 'CSV exports' } }),
  fixed('learned_answer_created', '2026-03-06T09:15:00Z', { knowledgeItemId: 'i4', topic: 'billing', payload: { status: 'published', title: 'Charged twice' } }),
  fixed('learned_answer_created', '2026-03-07T09:15:00Z', { knowledgeItemId: 'i5', topic: 'login', payload: { status: 'published', title: 'Password reset' } }),
  fixed('learning_reverted', '2026-03-12T16:00:00Z', { knowledgeItemId: 'i5', topic: 'login', payload: { kind: 'learned_answer_created' } }),
  // i0 flagged mid-hour and never edited; i1 flagged, then edited; i2 flagged twice, the second after an edit; i3 archived.
  fixed('knowledge_flagged_stale', '2026-03-04T10:17:23.456Z', { knowledgeItemId: 'i0', topic: 'billing' }),
  fixed('knowledge_flagged_stale', '2026-03-05T09:00:00Z', { knowledgeItemId: 'i1', topic: 'login' }),
  fixed('knowledge_updated', '2026-03-06T09:00:00Z', { knowledgeItemId: 'i1', topic: 'login', payload: { title: 'Signing in' } }),
  fixed('knowledge_flagged_stale', '2026-03-03T09:00:00Z', { knowledgeItemId: 'i2', topic: 'exports' }),
  fixed('knowledge_updated', '2026-03-04T09:00:00Z', { knowledgeItemId: 'i2', topic: 'exports', payload: { title: 'Exporting' } }),
  fixed('knowledge_flagged_stale', '2026-03-10T23:59:59.999Z', { knowledgeItemId: 'i2', topic: 'exports' }),
  fixed('knowledge_archived', '2026-03-18T10:00:00Z', { knowledgeItemId: 'i3', topic: 'exports' }),
];
const randomSample = stampFirsts(sample(4_000, 17));
const all = [...handMade, ...lifecycle, ...randomSample];
/** Re-delivered: copies inside one insert, and copies of events stored earlier. */
const redelivered = [handMade[0]!, handMade[4]!, handMade[7]!, lifecycle[7]!, lifecycle[9]!, ...randomSample.filter((_, i) => i % 50 === 0)];

let rollups: {
  support: SupportMetricsService;
  learning: LearningCurveService;
  activity: ActivityService;
  trends: TopicSpikesService;
  content: StaleContentService;
  gaps: KnowledgeGapsService;
};
let raw: typeof rollups;
const servicesReading = (readFrom: ReadFrom) => ({
  support: new SupportMetricsService(warehouse, readFrom),
  learning: new LearningCurveService(warehouse, readFrom),
  activity: new ActivityService(warehouse, readFrom),
  trends: new TopicSpikesService(warehouse, readFrom),
  content: new StaleContentService(warehouse, readFrom),
  gaps: new KnowledgeGapsService(warehouse, readFrom),
});

beforeAll(async () => {
  warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: dataPath }));
  await migrateWarehouse(warehouse);
  await insertEvents(warehouse, [...all.slice(0, 2_000), handMade[1]!, handMade[1]!], { chunkSize: 700 });
  await insertEvents(warehouse, all.slice(2_000), { chunkSize: 900 });
  await insertEvents(warehouse, redelivered);
  await insertEvents(warehouse, stampFirsts(sample(300, 99).map((event) => ({ ...event, workspaceId: otherWorkspace }))));
  // bench:warehouse's generator: 40,000 events over 28 days and 20 workspaces, and their items' lifecycles, with the
  // writer's insert settings (as insertEvents above).
  const generated = { workspaces: generatedWorkspaces, t0: GENERATED_START, spanMs: 28 * 86_400_000, conversations: 10_000 };
  await warehouse.client.command({
    query: `INSERT INTO {database:Identifier}.interaction_events_ingest (${GENERATED_COLUMNS}) SETTINGS ${EVENT_INSERT_SETTINGS} ${GENERATED_EVENTS}`,
    query_params: { ...generated, database: warehouse.database, start: 0, count: 40_000 },
  });
  await warehouse.client.command({
    query: `INSERT INTO {database:Identifier}.interaction_events_ingest (event_id, workspace_id, event_type, occurred_at, knowledge_item_id, topic, payload) SETTINGS ${EVENT_INSERT_SETTINGS} ${GENERATED_KNOWLEDGE_EVENTS}`,
    query_params: { ...generated, database: warehouse.database },
  });
  rollups = servicesReading('rollups');
  raw = servicesReading('raw');
});

afterAll(async () => {
  await warehouse?.close();
  rmSync(dataPath, { recursive: true, force: true });
});

const scalar = async (sql: string) =>
  (await (await warehouse.client.query({ query: sql, query_params: { database: warehouse.database, workspaceId }, format: 'JSONEachRow' })).json<{ n: number }>())[0]!.n;

describe('re-delivered events', () => {
  it('are stored once and counted once by every rollup', async () => {
    const distinct = new Set(all.map((event) => event.eventId)).size;
    expect(await scalar('SELECT count() AS n FROM {database:Identifier}.interaction_events WHERE workspace_id = {workspaceId:UUID}')).toBe(distinct);
    expect(await scalar('SELECT sum(events) AS n FROM {database:Identifier}.hourly_events WHERE workspace_id = {workspaceId:UUID}')).toBe(distinct);
    expect(await scalar('SELECT sum(events) AS n FROM {database:Identifier}.hourly_event_totals WHERE workspace_id = {workspaceId:UUID}')).toBe(distinct);
    const contacts = new Set(all.filter((e) => e.eventType === 'question_asked').map((e) => e.conversationId || e.eventId)).size;
    expect(await scalar('SELECT uniqExactMerge(contacts) AS n FROM {database:Identifier}.hourly_contacts WHERE workspace_id = {workspaceId:UUID}')).toBe(contacts);
    const csat = all.filter((e) => e.eventType === 'csat_rated');
    expect(await scalar('SELECT sum(responses) AS n FROM {database:Identifier}.hourly_csat WHERE workspace_id = {workspaceId:UUID}')).toBe(csat.length);
    expect(await scalar('SELECT sum(score * responses) AS n FROM {database:Identifier}.hourly_csat WHERE workspace_id = {workspaceId:UUID}')).toBe(csat.reduce((sum, e) => sum + e.rating!, 0));
    const citations = all.filter((e) => e.eventType === 'answer_shown' && e.knowledgeItemId).length;
    expect(await scalar('SELECT sum(answers) AS n FROM {database:Identifier}.hourly_citations WHERE workspace_id = {workspaceId:UUID}')).toBe(citations);
    expect(await scalar('SELECT count() AS n FROM {database:Identifier}.item_citations WHERE workspace_id = {workspaceId:UUID}')).toBe(citations);
    expect(await scalar('SELECT sum(answers) AS n FROM {database:Identifier}.daily_citations WHERE workspace_id = {workspaceId:UUID}')).toBe(citations);
    const frictionSignals = all.filter((e) => ['outcome_repeat_contact', 'answer_rated', 'handed_off', 'escalated', 'dropped_off'].includes(e.eventType)).length;
    expect(await scalar('SELECT sum(events) AS n FROM {database:Identifier}.daily_friction WHERE workspace_id = {workspaceId:UUID}')).toBe(frictionSignals);
    const gapQuestions = all.filter((e) => ['handed_off', 'escalated'].includes(e.eventType) && e.text).length;
    expect(await scalar('SELECT sum(events) AS n FROM {database:Identifier}.hourly_gap_questions WHERE workspace_id = {workspaceId:UUID}')).toBe(gapQuestions);
    expect(await scalar('SELECT count() AS n FROM {database:Identifier}.knowledge_lifecycle_events WHERE workspace_id = {workspaceId:UUID}')).toBe(lifecycle.length);
    // hourly_support_events: every support event once per dimension kept, and each conversation's start once.
    const support = all.filter((e) => ['question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated'].includes(e.eventType)).length;
    const starts = all.filter((e) => e.eventType === 'question_asked' && (!e.conversationId || e.payload?.followUp === false)).length;
    expect(starts).toBeGreaterThan(1_000);
    expect(starts).toBeLessThan(all.filter((e) => e.eventType === 'question_asked').length);
    for (const kept of [1, 2, 8, 15]) {
      const sums = `SELECT concat(toString(sum(events)), '/', toString(sum(conversations))) AS n FROM {database:Identifier}.hourly_support_events WHERE workspace_id = {workspaceId:UUID} AND kept = ${kept}`;
      // The rows keeping all four dimensions hold the conversation starts alone.
      expect([kept, await scalar(sums)]).toEqual([kept, `${kept === 15 ? starts : support}/${starts}`]);
    }
    const firsts = all.filter((e) => e.payload?.conversationStartedAt !== undefined && (e.payload.firstResponseMs !== undefined || e.payload.resolutionMs !== undefined)).length;
    expect(firsts).toBeGreaterThan(100);
    expect(await scalar('SELECT count() AS n FROM {database:Identifier}.conversation_times WHERE workspace_id = {workspaceId:UUID}')).toBe(firsts);
  });
});

// Hundreds of queries: minutes on a loaded machine.
jest.setTimeout(600_000);

const RANGES = {
  'whole weeks': { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-16T00:00:00Z') },
  'off the hour': { from: new Date('2026-03-02T10:17:23.456Z'), to: new Date('2026-03-09T23:00:00.001Z') },
  'inside one hour': { from: new Date('2026-03-02T10:05:00Z'), to: new Date('2026-03-02T10:50:00Z') },
  // Whole hours on both sides of one whole UTC day (the 4th), partial hours at both ends.
  'around one day': { from: new Date('2026-03-03T21:30:00Z'), to: new Date('2026-03-05T02:10:00.5Z') },
  // Whole hours but no whole UTC day.
  'across midnight': { from: new Date('2026-03-06T20:00:00Z'), to: new Date('2026-03-07T06:00:00Z') },
  // Starts on an hour, ends off one: knowledge gaps read both periods as one span, with partial hours at its ends.
  'from on the hour': { from: new Date('2026-03-05T06:00:00Z'), to: new Date('2026-03-08T13:45:10.250Z') },
  'the whole sample': { from: new Date('2026-02-20T00:00:00Z'), to: new Date('2026-04-10T00:00:00Z') },
};
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata'];
const GRANULARITIES = ['day', 'week', 'month'] as const;
const FILTERS = { topic: 'login', plan: 'pro', page: '/billing', channel: 'in_app' } as const;
const filterSets = Array.from({ length: 16 }, (_, mask) =>
  Object.fromEntries(Object.entries(FILTERS).filter((_, bit) => mask & (1 << bit))) as Partial<Pick<MetricsQuery, 'topic' | 'plan' | 'page' | 'channel'>>,
);

describe('rollups answer what raw events answer', () => {
  it('support figures, for every filter combination', async () => {
    // Off the hour (raw events for the partial hours at both ends) and on whole hours (the rollup alone).
    for (const range of [RANGES['off the hour'], RANGES['whole weeks']]) {
      for (const filters of filterSets) {
        const query: MetricsQuery = { ...range, granularity: 'day', timeZone: 'Europe/Paris', ...filters };
        expect([range, filters, await rollups.support.metrics(workspaceId, query)]).toEqual([range, filters, await raw.support.metrics(workspaceId, query)]);
      }
    }
    // Conversations are those started in the range (a conversation's first question, or a question outside one).
    const whole: MetricsQuery = { ...RANGES['the whole sample'], granularity: 'month', timeZone: 'UTC' };
    const started = new Set(all.filter((e) => e.eventType === 'question_asked').map((e) => e.conversationId || e.eventId)).size;
    expect((await rollups.support.metrics(workspaceId, whole)).totals.conversations).toBe(started);
    // A value nobody used: nothing, both ways.
    const none: MetricsQuery = { ...RANGES['whole weeks'], granularity: 'week', timeZone: 'UTC', plan: 'enterprise' };
    expect(await rollups.support.metrics(workspaceId, none)).toEqual(await raw.support.metrics(workspaceId, none));
  });

  it('support figures and the learning curve, for every range and zone, each granularity', async () => {
    let nonEmpty = 0;
    let csatSeen = 0;
    let combination = 0;
    for (const [name, range] of Object.entries(RANGES)) {
      for (const timeZone of ZONES) {
        // Each granularity meets every range and most zones; all of them meet every filter above.
        const granularity = GRANULARITIES[combination++ % GRANULARITIES.length]!;
        const query: MetricsQuery = { ...range, granularity, timeZone };
        const fromRollups = await rollups.support.metrics(workspaceId, query);
        expect([name, timeZone, granularity, fromRollups]).toEqual([name, timeZone, granularity, await raw.support.metrics(workspaceId, query)]);
        if (fromRollups.totals.questions > 0) nonEmpty++;
        if (fromRollups.totals.csatResponses > 0 && fromRollups.csatByTopic.length > 0) csatSeen++;
        expect([name, timeZone, granularity, await rollups.learning.curve(workspaceId, query)]).toEqual([name, timeZone, granularity, await raw.learning.curve(workspaceId, query)]);
      }
    }
    // The comparison is not between two empty answers.
    expect(nonEmpty).toBe(Object.keys(RANGES).length * ZONES.length);
    expect(csatSeen).toBeGreaterThan(0);
  });

  it('the learning curve, friction points and automation by context bucket, for every context, range and zone', async () => {
    const contexts: AskerContext[] = [{ plan: 'pro' }, { pageArea: 'billing' }, { pageArea: 'settings' }, { plan: 'free', pageArea: 'billing' }, { plan: 'enterprise' }];
    let combination = 0;
    for (const [name, range] of Object.entries(RANGES)) {
      for (const timeZone of ZONES) {
        const granularity = GRANULARITIES[combination++ % GRANULARITIES.length]!;
        for (const context of contexts) {
          const query = { ...range, granularity, timeZone, context };
          expect([name, timeZone, granularity, context, await rollups.learning.curve(workspaceId, query)]).toEqual([name, timeZone, granularity, context, await raw.learning.curve(workspaceId, query)]);
        }
      }
      for (const context of [{}, ...contexts]) {
        for (const by of [undefined, 'plan', 'pageArea'] as const) {
          const friction = await rollups.learning.friction(workspaceId, range.from, range.to, 50, { context, by });
          expect([name, context, by, friction]).toEqual([name, context, by, await raw.learning.friction(workspaceId, range.from, range.to, 50, { context, by })]);
          for (const point of friction) {
            if (context.plan && by !== 'pageArea') expect(point.plan).toBe(context.plan);
            if (context.pageArea && by !== 'plan') expect(point.pageArea).toBe(context.pageArea);
            if (by) expect(point.page).toBe('');
          }
        }
      }
      expect([name, await rollups.learning.automationByContext(workspaceId, range.from, range.to)]).toEqual([name, await raw.learning.automationByContext(workspaceId, range.from, range.to)]);
    }

    // And what they count is right: the sample's own events in each bucket, counted here with the shared page rule.
    const whole = RANGES['the whole sample'];
    const count = (type: string, inBucket: (event: InteractionEvent) => boolean) => all.filter((event) => event.eventType === type && inBucket(event)).length;
    const areaOf = (event: InteractionEvent) => productAreasOfPage(event.page)[0] ?? '';
    const byContext = await rollups.learning.automationByContext(workspaceId, whole.from, whole.to);
    const buckets = [...new Set(all.map((event) => event.plan ?? ''))].filter(Boolean).map((plan) => ({ kind: 'plan', bucket: plan, inBucket: (event: InteractionEvent) => event.plan === plan }));
    const areas = [...new Set(all.map(areaOf))].filter(Boolean).map((area) => ({ kind: 'pageArea', bucket: area, inBucket: (event: InteractionEvent) => areaOf(event) === area }));
    expect(areas.map((area) => area.bucket).sort()).toEqual(['billing', 'settings']);
    expect(byContext.map(({ kind, bucket, questions, answered, handedOff }) => ({ kind, bucket, questions, answered, handedOff }))).toEqual(
      [...buckets, ...areas]
        .map(({ kind, bucket, inBucket }) => ({ kind, bucket, questions: count('question_asked', inBucket), answered: count('answer_shown', inBucket), handedOff: count('handed_off', inBucket) }))
        .sort((a, b) => a.kind.localeCompare(b.kind) || a.bucket.localeCompare(b.bucket)),
    );
    // Friction by page area: each topic's signals over its pages, summed by their first area.
    const perPage = await rollups.learning.friction(workspaceId, whole.from, whole.to, 1_000);
    const perArea = await rollups.learning.friction(workspaceId, whole.from, whole.to, 1_000, { by: 'pageArea' });
    const summed = new Map<string, number>();
    for (const point of perPage) summed.set(`${point.topic}|${point.pageArea}`, (summed.get(`${point.topic}|${point.pageArea}`) ?? 0) + point.handOffs);
    expect(new Map(perArea.map((point) => [`${point.topic}|${point.pageArea}`, point.handOffs]))).toEqual(summed);
    expect(perArea.every((point) => point.plan === '' && point.page === '')).toBe(true);
    // learningCurve with a bucket as its context counts the same questions and automation.
    for (const row of byContext) {
      const context = row.kind === 'plan' ? { plan: row.bucket } : { pageArea: row.bucket };
      const curve = await rollups.learning.curve(workspaceId, { ...whole, granularity: 'month', timeZone: 'UTC', context });
      expect([context, curve.reduce((sum, bucket) => sum + bucket.questions, 0)]).toEqual([context, row.questions]);
    }
  });

  it('activity, over any instants', async () => {
    for (const range of Object.values(RANGES)) {
      const fromRollups = await rollups.activity.summary(workspaceId, range.from, range.to);
      expect(fromRollups).toEqual(await raw.activity.summary(workspaceId, range.from, range.to));
    }
    expect((await rollups.activity.summary(workspaceId, RANGES['the whole sample'].from, RANGES['the whole sample'].to)).questions).toBe(
      all.filter((e) => e.eventType === 'question_asked').length,
    );
  });

  it('topic volumes for spikes, windows on and off the hour', async () => {
    const windows = [
      { from: new Date('2026-03-15T00:00:00Z'), to: new Date('2026-03-22T00:00:00Z') },
      { from: new Date('2026-03-16T06:00:00Z'), to: new Date('2026-03-17T06:00:00Z') },
      { from: new Date('2026-03-16T06:30:00Z'), to: new Date('2026-03-17T06:00:00.500Z') },
    ];
    for (const window of windows) {
      for (const minVolume of [1]) {
        const query = { ...SPIKE_DEFAULTS, ...window, minVolume, significance: 0.5 };
        const fromRollups = await rollups.trends.spikes(workspaceId, query);
        expect(fromRollups).toEqual(await raw.trends.spikes(workspaceId, query));
        expect(fromRollups.baselineQuestions).toBeGreaterThan(0);
      }
    }
  });

  it('friction points and knowledge gaps, for every range and topic', async () => {
    let frictionSeen = 0;
    let gapsSeen = 0;
    for (const [name, range] of Object.entries(RANGES)) {
      const fromRollups = await rollups.learning.friction(workspaceId, range.from, range.to, 50);
      expect([name, fromRollups]).toEqual([name, await raw.learning.friction(workspaceId, range.from, range.to, 50)]);
      if (fromRollups.some((point) => point.dropOffs > 0 && point.plan !== '')) frictionSeen++;
      for (const topic of [undefined, 'login']) {
        const query = { ...range, topic, first: 20 };
        const gaps = await rollups.gaps.gaps(workspaceId, query);
        expect([name, topic, gaps]).toEqual([name, topic, await raw.gaps.gaps(workspaceId, query)]);
        if (gaps.some((cluster) => cluster.volume > 1 && cluster.previousVolume > 0)) gapsSeen++;
      }
    }
    expect(frictionSeen).toBeGreaterThan(0);
    expect(gapsSeen).toBeGreaterThan(0);
  });

  it('stale content still served and uncited content, at instants on and off the hour', async () => {
    const instants = ['2026-03-04T10:50:00Z', '2026-03-10T23:59:59.999Z', '2026-03-12T16:00:00Z', '2026-03-20T07:30:12.345Z', '2026-04-10T00:00:00Z'].map((iso) => new Date(iso));
    let stillServed = 0;
    let uncited = 0;
    for (const now of instants) {
      const served = await rollups.content.staleStillServed(workspaceId, 10, now);
      expect([now, served]).toEqual([now, await raw.content.staleStillServed(workspaceId, 10, now)]);
      stillServed = Math.max(stillServed, served.length);
      for (const days of [1, 3, 30]) {
        const fromRollups = await rollups.content.uncited(workspaceId, days, now, 10);
        expect([now, days, fromRollups]).toEqual([now, days, await raw.content.uncited(workspaceId, days, now, 10)]);
        uncited = Math.max(uncited, fromRollups.uncitedCount);
      }
    }
    // i0 (flagged mid-hour, never edited) and i2 (flagged again after its edit) are still served; some item goes uncited.
    expect(stillServed).toBe(2);
    expect(uncited).toBeGreaterThan(0);
  });
});

describe("on a sample of bench:warehouse's generated events", () => {
  const month = { from: new Date('2026-05-04T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z') };
  const lateWeek = { from: new Date('2026-05-20T13:30:00Z'), to: new Date('2026-05-27T09:00:00.250Z') };

  it('every insights query answers from rollups what it answers from raw events', async () => {
    for (const range of [month, lateWeek]) {
      for (const filters of [{}, { plan: 'pro' }, { topic: 'billing', channel: 'email' }, { page: '/billing' }]) {
        const query: MetricsQuery = { ...range, granularity: 'day', timeZone: 'Europe/Paris', ...filters };
        const fromRollups = await rollups.support.metrics(generatedWorkspace, query);
        expect(fromRollups.totals.questions).toBeGreaterThan(0);
        expect(fromRollups.totals.conversations).toBeGreaterThan(0);
        // The range's own times (a grouping of their own) are there, not only the buckets'.
        expect(fromRollups.totals.medianResolutionSeconds).toEqual(expect.any(Number));
        expect([filters, fromRollups]).toEqual([filters, await raw.support.metrics(generatedWorkspace, query)]);
      }
      const weekly: MetricsQuery = { ...range, granularity: 'week', timeZone: 'America/New_York' };
      expect(await rollups.learning.curve(generatedWorkspace, weekly)).toEqual(await raw.learning.curve(generatedWorkspace, weekly));
      for (const context of [{ plan: 'pro' }, { pageArea: 'invoices' }, { plan: 'enterprise', pageArea: 'billing' }]) {
        const curve = await rollups.learning.curve(generatedWorkspace, { ...weekly, context });
        expect(curve.some((bucket) => bucket.questions > 0)).toBe(true);
        expect([context, curve]).toEqual([context, await raw.learning.curve(generatedWorkspace, { ...weekly, context })]);
        for (const by of [undefined, 'plan', 'pageArea'] as const) {
          const points = await rollups.learning.friction(generatedWorkspace, range.from, range.to, 30, { context, by });
          expect(points.length).toBeGreaterThan(0);
          expect([context, by, points]).toEqual([context, by, await raw.learning.friction(generatedWorkspace, range.from, range.to, 30, { context, by })]);
        }
      }
      const byContext = await rollups.learning.automationByContext(generatedWorkspace, range.from, range.to);
      expect(byContext.length).toBeGreaterThan(3);
      expect(byContext).toEqual(await raw.learning.automationByContext(generatedWorkspace, range.from, range.to));
      expect(await rollups.activity.summary(generatedWorkspace, range.from, range.to)).toEqual(await raw.activity.summary(generatedWorkspace, range.from, range.to));
      const friction = await rollups.learning.friction(generatedWorkspace, range.from, range.to, 30);
      expect(friction.length).toBeGreaterThan(0);
      expect(friction).toEqual(await raw.learning.friction(generatedWorkspace, range.from, range.to, 30));
      const gaps = await rollups.gaps.gaps(generatedWorkspace, { ...range, first: 10 });
      expect(gaps.length).toBeGreaterThan(0);
      expect(gaps).toEqual(await raw.gaps.gaps(generatedWorkspace, { ...range, first: 10 }));
      const spikes = { ...SPIKE_DEFAULTS, from: new Date(range.to.getTime() - 7 * 86_400_000), to: range.to };
      expect(await rollups.trends.spikes(generatedWorkspace, spikes)).toEqual(await raw.trends.spikes(generatedWorkspace, spikes));
      expect(await rollups.content.uncited(generatedWorkspace, 7, range.to, 20)).toEqual(await raw.content.uncited(generatedWorkspace, 7, range.to, 20));
    }
    const stillServed = await rollups.content.staleStillServed(generatedWorkspace, 20, month.to);
    expect(stillServed.length).toBeGreaterThan(0);
    expect(stillServed).toEqual(await raw.content.staleStillServed(generatedWorkspace, 20, month.to));
  });
});
