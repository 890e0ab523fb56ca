/** Per-(topic, scale) thresholds move with outcomes, on the knowledge service's real Postgres schema. */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { ConfidenceScale, DAY_ONE_THRESHOLD, DEFAULT_THRESHOLD, HALF_LIFE, MIN_SAMPLES } from '../../services/knowledge/learning/answer-policy';
import { listLearningEvents } from '../../services/knowledge/learning/learning-events';
import { useKnowledgeServices } from '../helpers/knowledge-services';

const knowledge = useKnowledgeServices('loopdesk_it_thresholds');

const record = (workspaceId: string, topic: string, confidence: number, correct: boolean, scale: ConfidenceScale = 'intent') =>
  knowledge.sut.outcomes.record(workspaceId, { knowledgeItemId: null, topic, confidence, signal: correct ? 'handoff_reviewed' : 'rated_down', correct, scale });

describe('a topic moving between handing off and answering', () => {
  it('opens a topic whose handed-off questions the AI would have got right', async () => {
    const workspaceId = randomUUID();
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'exports', 'intent')).toBe(DEFAULT_THRESHOLD);
    // 60 right in a row prove 95% (the Wilson lower bound); 25 would not.
    for (let i = 0; i < 60; i++) await record(workspaceId, 'exports', 0.1 + (i % 5) * 0.01, true);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'exports', 'intent')).toBeCloseTo(0.1, 5);
    const events = await listLearningEvents(knowledge.db.manager, workspaceId, { kind: 'threshold_moved' }, 10);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ topic: 'exports', before: { threshold: DEFAULT_THRESHOLD, scale: 'intent' }, signal: 'handoff_reviewed' });
    expect(events[0]!.summary).toContain('answers more on its own');
  });

  it('closes a topic whose confident answers keep turning out wrong, and an admin can revert that', async () => {
    const workspaceId = randomUUID();
    for (let i = 0; i < 25; i++) await record(workspaceId, 'billing', 0.6 + (i % 10) * 0.02, i % 2 === 0);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'billing', 'intent')).toBeGreaterThan(1);
    const [moved] = await listLearningEvents(knowledge.db.manager, workspaceId, { kind: 'threshold_moved' }, 10);
    expect(moved!.summary).toContain('now hands off every question');
    await knowledge.sut.learned.revert(workspaceId, moved!.id, 'admin:test');
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'billing', 'intent')).toBe(DEFAULT_THRESHOLD);
  });

  it('reopens a closed topic once newer outcomes outweigh its old mistakes', async () => {
    const workspaceId = randomUUID();
    for (let i = 0; i < 25; i++) await record(workspaceId, 'cards', 0.9, i % 5 !== 0);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'cards', 'intent')).toBeGreaterThan(1);
    // Agents keep reviewing the hand-offs: the model's candidates are now right, and the old mistakes fade.
    for (let i = 0; i < HALF_LIFE; i++) await record(workspaceId, 'cards', 0.9, true);
    // Nothing above the untaught bar is proven wrong any more, and nothing below it was tried: the bar is back.
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'cards', 'intent')).toBeCloseTo(DEFAULT_THRESHOLD, 5);
  });

  it("holds retrieval's cautious day-one bar until the topic has enough outcomes, then learns it down", async () => {
    const workspaceId = randomUUID();
    for (let i = 0; i < MIN_SAMPLES - 1; i++) await record(workspaceId, '', 0.3 + (i % 5) * 0.01, true, 'retrieval');
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, '', 'retrieval')).toBe(DAY_ONE_THRESHOLD);
    // Enough samples, but 20 right answers prove only about 88%: the bar holds until the evidence proves 95%.
    await record(workspaceId, '', 0.3, true, 'retrieval');
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, '', 'retrieval')).toBe(DAY_ONE_THRESHOLD);
    for (let i = MIN_SAMPLES; i < 60; i++) await record(workspaceId, '', 0.3, true, 'retrieval');
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, '', 'retrieval')).toBeCloseTo(0.3, 5);
  });

  it("keeps each confidence scale's outcomes and threshold apart within a topic", async () => {
    const workspaceId = randomUUID();
    for (let i = 0; i < 60; i++) await record(workspaceId, '', 0.2, true, 'retrieval');
    for (let i = 0; i < 25; i++) await record(workspaceId, '', 0.8, i % 2 === 0, 'intent');
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, '', 'retrieval')).toBeCloseTo(0.2, 5);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, '', 'intent')).toBeGreaterThan(1);
    expect((await knowledge.sut.policy.listPolicies(workspaceId)).map((p) => [p.scale, p.samples])).toEqual([
      ['intent', 25],
      ['retrieval', 60],
    ]);
  });

  it('keeps topics and workspaces apart', async () => {
    const workspaceId = randomUUID();
    for (let i = 0; i < 60; i++) await record(workspaceId, 'a', 0.05, true);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'a', 'intent')).toBeCloseTo(0.05, 5);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'b', 'intent')).toBe(DEFAULT_THRESHOLD);
    expect(await knowledge.sut.policy.thresholdFor(randomUUID(), 'a', 'intent')).toBe(DEFAULT_THRESHOLD);
  });
});

describe('thresholds by context bucket', () => {
  const inContext = (workspaceId: string, topic: string, confidence: number, correct: boolean, contextKeys: string[]) =>
    knowledge.sut.outcomes.record(workspaceId, { knowledgeItemId: null, topic, confidence, signal: correct ? 'handoff_reviewed' : 'rated_down', correct, scale: 'intent', contextKeys });

  it("gives a bucket its own bar once its outcomes prove one, starting from the topic's; an asker in several is held to the strictest", async () => {
    const workspaceId = randomUUID();
    // Enterprise admins' answers at 0.8 are always right; trial users' are right half the time.
    for (let i = 0; i < 40; i++) await inContext(workspaceId, 'sso', 0.8, true, ['plan:enterprise', 'area:settings']);
    for (let i = 0; i < 26; i++) await inContext(workspaceId, 'sso', 0.8, i % 2 === 0, ['plan:trial', 'area:settings']);
    // The topic as a whole is not precise enough at 0.8: it hands off everything...
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'sso', 'intent')).toBeGreaterThan(1);
    // ...but enterprise askers' own record proves 0.8 (40 right of 40), so there the AI answers from 0.8.
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'sso', 'intent', ['plan:enterprise'])).toBeCloseTo(0.8, 5);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'sso', 'intent', ['plan:trial'])).toBeGreaterThan(1);
    // The settings page mixes both: it keeps the topic's bar; an enterprise admin on it is held to the stricter bucket.
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'sso', 'intent', ['plan:enterprise', 'area:settings'])).toBeGreaterThan(1);
    // A bucket nobody has outcomes in, and another topic, keep their own bars.
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'sso', 'intent', ['plan:business'])).toBeGreaterThan(1);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'billing', 'intent', ['plan:enterprise'])).toBe(DEFAULT_THRESHOLD);
    const policies = (await knowledge.sut.policy.listPolicies(workspaceId)).map((p) => [p.context, p.samples]);
    expect(policies).toEqual([
      [null, 66],
      ['area:settings', 66],
      ['plan:enterprise', 40],
      ['plan:trial', 26],
    ]);
  });

  it("closes a bucket whose answers fail at the topic's bar, and only that bucket, once it has MIN_SAMPLES outcomes", async () => {
    const workspaceId = randomUUID();
    // Business customers' answers at 0.8 are right; every twelfth outcome is a trial user's, wrong at the same confidence.
    let wrong = 0;
    for (let i = 0; i < 240; i++) {
      await inContext(workspaceId, 'exports', 0.8, true, ['plan:business']);
      if (i % 12 === 11 && wrong < MIN_SAMPLES - 1) {
        await inContext(workspaceId, 'exports', 0.8, false, ['plan:trial']);
        wrong++;
      }
    }
    // The topic as a whole still holds its bar (240 right of 259 at 0.8), and so, with too few outcomes yet, does the bucket.
    const topicBar = await knowledge.sut.policy.thresholdFor(workspaceId, 'exports', 'intent');
    expect(topicBar).toBe(DEFAULT_THRESHOLD);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'exports', 'intent', ['plan:trial'])).toBe(topicBar);
    await inContext(workspaceId, 'exports', 0.8, false, ['plan:trial']);
    // Its twentieth outcome: every trial answer at the topic's bar was wrong, so the bucket hands off everything.
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'exports', 'intent', ['plan:trial'])).toBeGreaterThan(1);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'exports', 'intent', ['plan:business'])).toBe(topicBar);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'exports', 'intent')).toBe(topicBar);
  });
});
