/** Per-topic thresholds move with outcomes, on the knowledge service's real Postgres schema. */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DAY_ONE_THRESHOLD, DEFAULT_THRESHOLD, MIN_SAMPLES } from '../../services/knowledge/learning/answer-policy';
import { listLearningEvents } from '../../services/knowledge/learning/learning-events';
import { useKnowledgeServices } from '../helpers/knowledge-services';

const knowledge = useKnowledgeServices('loopdesk_it_thresholds');

const record = (workspaceId: string, topic: string, confidence: number, correct: boolean) =>
  knowledge.sut.outcomes.record(workspaceId, { knowledgeItemId: null, topic, confidence, signal: correct ? 'handoff_reviewed' : 'rated_down', correct });

describe('a topic moving between handing off and answering', () => {
  it('opens a topic whose handed-off questions the AI would have got right', async () => {
    const workspaceId = randomUUID();
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'exports')).toBe(DEFAULT_THRESHOLD);
    for (let i = 0; i < 25; i++) await record(workspaceId, 'exports', 0.1 + (i % 5) * 0.01, true);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'exports')).toBeCloseTo(0.1, 5);
    const events = await listLearningEvents(knowledge.db.manager, workspaceId, { kind: 'threshold_moved' }, 10);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ topic: 'exports', before: { threshold: DEFAULT_THRESHOLD }, signal: 'handoff_reviewed' });
    expect(events[0]!.summary).toContain('answers more on its own');
  });

  it('closes a topic whose confident answers keep turning out wrong, and an admin can revert that', async () => {
    const workspaceId = randomUUID();
    for (let i = 0; i < 25; i++) await record(workspaceId, 'billing', 0.6 + (i % 10) * 0.02, i % 2 === 0);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'billing')).toBeGreaterThan(1);
    const [moved] = await listLearningEvents(knowledge.db.manager, workspaceId, { kind: 'threshold_moved' }, 10);
    expect(moved!.summary).toContain('now hands off every question');
    await knowledge.sut.learned.revert(workspaceId, moved!.id, 'admin:test');
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'billing')).toBe(DEFAULT_THRESHOLD);
  });

  it("holds retrieval's cautious day-one bar until the topic has enough outcomes, then learns it down", async () => {
    const workspaceId = randomUUID();
    for (let i = 0; i < MIN_SAMPLES - 1; i++) await record(workspaceId, '', 0.3 + (i % 5) * 0.01, true);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, '', DAY_ONE_THRESHOLD)).toBe(DAY_ONE_THRESHOLD);
    await record(workspaceId, '', 0.3, true);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, '', DAY_ONE_THRESHOLD)).toBeCloseTo(0.3, 5);
  });

  it('keeps topics and workspaces apart', async () => {
    const workspaceId = randomUUID();
    for (let i = 0; i < 25; i++) await record(workspaceId, 'a', 0.05, true);
    expect(await knowledge.sut.policy.thresholdFor(workspaceId, 'b')).toBe(DEFAULT_THRESHOLD);
    expect(await knowledge.sut.policy.thresholdFor(randomUUID(), 'a')).toBe(DEFAULT_THRESHOLD);
  });
});
