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
