/**
 * The learning-trust rule on the knowledge service's real Postgres schema: customer signals are weighed by who
 * gave them, counted once per customer, pooled for anonymous visitors, and teach a question only once
 * distinct signed-in customers corroborate it.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { EVIDENCE_COLUMNS_SQL } from '../../services/knowledge/learning/item-evidence';
import { listLearningEvents } from '../../services/knowledge/learning/learning-events';
import {
  CORROBORATING_CUSTOMERS, DROP_OFF_WEIGHT, OutcomeSource, SLOW_RESOLUTION_SECONDS, SLOW_RESOLUTION_WEIGHT, UNCORROBORATED_PRAISE, VISITOR_POOL_CAP,
} from '../../services/knowledge/learning/learning-trust';
import type { OutcomeSignal } from '../../services/knowledge/learning/outcome.service';
import { useKnowledgeServices } from '../helpers/knowledge-services';

const knowledge = useKnowledgeServices('loopdesk_it_learning_trust');

const customer = (id: string): OutcomeSource => ({ kind: 'customer', id });
const visitor = (): OutcomeSource => ({ kind: 'visitor', id: randomUUID() });

async function setUp() {
  const workspaceId = randomUUID();
  const item = await knowledge.sut.knowledge.createArticle(workspaceId, { title: 'Changing your email address', body: 'Change your email address from Profile > Account > Email.', topic: 'account' }, 'admin:test');
  /** A customer's or visitor's signal as the conversation service sends it; `confirms` makes it the turn's first verdict, with its question. */
  const signal = (source: OutcomeSource | null, signal: OutcomeSignal, options: { correct?: boolean | null; question?: string; confidence?: number } = {}) =>
    knowledge.sut.outcomes.record(workspaceId, {
      knowledgeItemId: item.id,
      topic: 'account',
      confidence: options.confidence ?? 0.4,
      signal,
      correct: options.correct ?? null,
      confirmedQuestion: options.question ?? null,
      source,
    });
  const confirm = (source: OutcomeSource, question: string) => signal(source, 'rated_up', { correct: true, question });
  /** Good and bad as ranking reads them, the customers' good evidence before corroboration, and a raw counter. */
  const evidence = async () => {
    const [row] = await knowledge.db.query(`SELECT ${EVIDENCE_COLUMNS_SQL}, s.evidence_good AS "customersGood", s.rated_up AS "ratedUp" FROM knowledge.item_stats s WHERE s.item_id = $1`, [item.id]);
    return { good: Number(row.good), bad: Number(row.bad), customersGood: Number(row.customersGood), ratedUp: Number(row.ratedUp) };
  };
  const variants = async () => (await knowledge.db.query(`SELECT text FROM knowledge.question_variants WHERE item_id = $1 ORDER BY created_at`, [item.id])).map((r: { text: string }) => r.text);
  return { workspaceId, item, signal, confirm, evidence, variants };
}

describe('ranking evidence weighs who gave a signal', () => {
  it("one signed-in customer's twenty up-ratings count as one verdict, though all twenty are in the statistics, and lift nothing alone", async () => {
    const { signal, evidence } = await setUp();
    for (let i = 0; i < 20; i++) await signal(customer('c-1'), 'rated_up');
    expect(await evidence()).toEqual({ good: 0, bad: 0, customersGood: 1, ratedUp: 20 });
  });

  it(`praise lifts an item only once ${CORROBORATING_CUSTOMERS} distinct customers give it`, async () => {
    const { signal, evidence } = await setUp();
    for (const id of ['c-1', 'c-2']) await signal(customer(id), 'resolved');
    expect(await evidence()).toMatchObject({ good: 0, customersGood: 2 });
    for (const id of ['c-3', 'c-4']) await signal(customer(id), 'rated_up');
    expect(await evidence()).toMatchObject({ good: 4 - UNCORROBORATED_PRAISE, customersGood: 4 });
  });

  it('a customer who changes their mind replaces their verdict instead of adding one', async () => {
    const { signal, evidence } = await setUp();
    await signal(customer('c-1'), 'rated_up');
    await signal(customer('c-1'), 'escalated');
    await signal(customer('c-2'), 'resolved');
    expect(await evidence()).toMatchObject({ bad: 1, customersGood: 1 });
  });

  it("a hundred anonymous visitors' praise is counted but lifts nothing", async () => {
    const { signal, evidence } = await setUp();
    for (let i = 0; i < 100; i++) await signal(visitor(), 'rated_up');
    expect(await evidence()).toEqual({ good: 0, bad: 0, customersGood: 0, ratedUp: 100 });
  });

  it("a hundred anonymous visitors' complaints together weigh no more than two signed-in customers'", async () => {
    const { signal, evidence } = await setUp();
    for (let i = 0; i < 100; i++) await signal(visitor(), 'rated_down');
    expect(await evidence()).toMatchObject({ good: 0, bad: VISITOR_POOL_CAP });
  });

  it('four visitors weigh what one customer does', async () => {
    const { signal, evidence } = await setUp();
    for (let i = 0; i < 4; i++) await signal(visitor(), 'rated_down');
    expect(await evidence()).toMatchObject({ bad: 1 });
  });

  it("agents' signals each count", async () => {
    const { signal, evidence } = await setUp();
    for (let i = 0; i < 3; i++) await signal({ kind: 'agent', id: 'key:agent' }, 'corrected');
    expect(await evidence()).toMatchObject({ bad: 3 });
  });
});

describe('a question is learned from customers only after corroboration', () => {
  it('anonymous confirmations never teach a question, however many', async () => {
    const { confirm, variants, workspaceId } = await setUp();
    for (let i = 0; i < 100; i++) await confirm(visitor(), 'How can I change the email address on my profile?');
    expect(await variants()).toEqual([]);
    expect(await listLearningEvents(knowledge.db.manager, workspaceId, { kind: 'question_variant_added' }, 10)).toEqual([]);
  });

  it('one signed-in customer confirming twenty times teaches nothing', async () => {
    const { confirm, variants } = await setUp();
    for (let i = 0; i < 20; i++) await confirm(customer('c-1'), 'How can I change the email address on my profile?');
    expect(await variants()).toEqual([]);
  });

  it(`${CORROBORATING_CUSTOMERS} distinct customers confirming the item for similar questions teach the question; fewer do not`, async () => {
    const { confirm, variants, workspaceId, item } = await setUp();
    await confirm(customer('c-1'), 'How can I change the email address on my profile?');
    await confirm(customer('c-2'), 'how do I change the email address on my profile');
    expect(await variants()).toEqual([]);
    await confirm(customer('c-3'), 'How can I change the email address on my account profile?');
    expect(await variants()).toEqual(['How can I change the email address on my account profile?']);
    const [event] = await listLearningEvents(knowledge.db.manager, workspaceId, { kind: 'question_variant_added' }, 10);
    expect(event).toMatchObject({ itemId: item.id, signal: 'customer_confirmed', actor: 'customer', after: { customers: 3 } });
  });

  it('confirmations of unrelated questions do not corroborate each other', async () => {
    const { confirm, variants } = await setUp();
    await confirm(customer('c-1'), 'How can I change the email address on my profile?');
    await confirm(customer('c-2'), 'Why was my card payment declined abroad?');
    await confirm(customer('c-3'), 'Do you offer a discount for nonprofits?');
    expect(await variants()).toEqual([]);
  });

  it('a review-required workspace learns no question from customers, corroborated or not', async () => {
    const { confirm, variants, workspaceId } = await setUp();
    await knowledge.sut.settings.update(workspaceId, { learningMode: 'review_required' });
    for (const id of ['c-1', 'c-2', 'c-3', 'c-4']) await confirm(customer(id), 'How can I change the email address on my profile?');
    expect(await variants()).toEqual([]);
  });
});

describe("a topic's threshold weighs who gave each verdict", () => {
  /** 70 right answers at 0.5 and 5 wrong ones at 0.3, from agents: enough to prove 95% from 0.5, so the topic answers from there. */
  async function calibratedTopic() {
    const context = await setUp();
    for (let i = 0; i < 70; i++) await context.signal(null, 'resolved', { correct: true, confidence: 0.5 });
    for (let i = 0; i < 5; i++) await context.signal(null, 'corrected', { correct: false, confidence: 0.3 });
    expect(await knowledge.sut.policy.thresholdFor(context.workspaceId, 'account', 'retrieval')).toBeCloseTo(0.5, 5);
    return context;
  }

  it('two hundred anonymous visitors confirming low-confidence answers do not lower it', async () => {
    const { signal, workspaceId } = await calibratedTopic();
    // Counted as customers, 200 right answers at 0.3 would open the topic down to 0.3 (the last test shows 150 do).
    for (let i = 0; i < 200; i++) await signal(visitor(), 'rated_up', { correct: true, confidence: 0.3 });
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'account', 'retrieval')).toBeCloseTo(0.5, 5);
  });

  it('one customer confirming fifty low-confidence answers counts once and does not lower it', async () => {
    const { signal, workspaceId } = await calibratedTopic();
    for (let i = 0; i < 50; i++) await signal(customer('c-1'), 'rated_up', { correct: true, confidence: 0.3 });
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'account', 'retrieval')).toBeCloseTo(0.5, 5);
  });

  it('distinct signed-in customers do move it: the rule weighs evidence, it does not ignore it', async () => {
    const { signal, workspaceId } = await calibratedTopic();
    for (let i = 0; i < 150; i++) await signal(customer(`c-${i}`), 'rated_up', { correct: true, confidence: 0.3 });
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'account', 'retrieval')).toBeCloseTo(0.3, 5);
  });
});

describe('implicit signals weigh less than what people say', () => {
  it(`a drop-off counts ${DROP_OFF_WEIGHT} of a complaint from the same source, in ranking evidence and in calibration`, async () => {
    const { workspaceId, item, signal, evidence } = await setUp();
    await signal(customer('c-1'), 'dropped_off', { correct: false });
    expect(await evidence()).toMatchObject({ bad: DROP_OFF_WEIGHT });
    await signal(customer('c-2'), 'rated_down', { correct: false });
    expect(await evidence()).toMatchObject({ bad: DROP_OFF_WEIGHT + 1 });
    const outcomes = await knowledge.db.query(`SELECT signal, weight FROM knowledge.answer_outcomes WHERE workspace_id = $1 ORDER BY id`, [workspaceId]);
    expect(outcomes.map((o: { signal: string; weight: number }) => [o.signal, Number(o.weight)])).toEqual([['dropped_off', DROP_OFF_WEIGHT], ['rated_down', 1]]);
    const [stats] = await knowledge.db.query(`SELECT dropped_off_after FROM knowledge.item_stats WHERE item_id = $1`, [item.id]);
    expect(stats.dropped_off_after).toBe(1);
  });

  it(`the time to resolution is kept per item; a resolution over ${SLOW_RESOLUTION_SECONDS} s after the answer counts ${SLOW_RESOLUTION_WEIGHT}`, async () => {
    const { workspaceId, item } = await setUp();
    const resolved = (id: string, secondsToResolution: number) =>
      knowledge.sut.outcomes.record(workspaceId, { knowledgeItemId: item.id, topic: 'account', confidence: 0.5, signal: 'resolved', correct: true, source: customer(id), secondsToResolution });
    await resolved('c-1', 30);
    await resolved('c-2', SLOW_RESOLUTION_SECONDS + 600);
    const outcomes = await knowledge.db.query(`SELECT weight FROM knowledge.answer_outcomes WHERE workspace_id = $1 ORDER BY id`, [workspaceId]);
    expect(outcomes.map((o: { weight: number }) => Number(o.weight))).toEqual([1, SLOW_RESOLUTION_WEIGHT]);
    expect((await knowledge.sut.outcomes.stats(workspaceId, [item.id])).get(item.id)).toMatchObject({ resolved: 2, meanSecondsToResolution: (30 + SLOW_RESOLUTION_SECONDS + 600) / 2 });
    const [row] = await knowledge.db.query(`SELECT evidence_good FROM knowledge.item_stats WHERE item_id = $1`, [item.id]);
    expect(Number(row.evidence_good)).toBe(1 + SLOW_RESOLUTION_WEIGHT);
  });
});
