/** Per-topic thresholds move with outcomes, on the knowledge service's real Postgres schema. */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openKnowledgeDatabase } from '../../services/knowledge/database';
import { DAY_ONE_THRESHOLD, DEFAULT_THRESHOLD, MIN_SAMPLES } from '../../services/knowledge/learning/answer-policy';
import { listLearningEvents } from '../../services/knowledge/learning/learning-events';
import { KnowledgeServices, createKnowledgeServices } from '../../services/knowledge/schema';
import { ThrowawayDatabase, createThrowawayDatabase } from '../helpers/database';

let database: ThrowawayDatabase;
let db: DataSource;
let sut: KnowledgeServices;

beforeAll(async () => {
  database = await createThrowawayDatabase('loopdesk_it_thresholds');
  db = await openKnowledgeDatabase(database.url);
  sut = createKnowledgeServices(db);
});

afterAll(async () => {
  await db?.destroy();
  await database?.drop();
});

const record = (workspaceId: string, topic: string, confidence: number, correct: boolean) =>
  sut.outcomes.record(workspaceId, { knowledgeItemId: null, topic, confidence, signal: correct ? 'handoff_reviewed' : 'rated_down', correct });

describe('a topic moving between handing off and answering', () => {
  it('opens a topic whose handed-off questions the AI would have got right', async () => {
    const workspaceId = randomUUID();
    expect(await sut.policy.thresholdFor(workspaceId, 'exports')).toBe(DEFAULT_THRESHOLD);
    for (let i = 0; i < 25; i++) await record(workspaceId, 'exports', 0.1 + (i % 5) * 0.01, true);
    expect(await sut.policy.thresholdFor(workspaceId, 'exports')).toBeCloseTo(0.1, 5);
    const events = await listLearningEvents(db.manager, workspaceId, { kind: 'threshold_moved' }, 10);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ topic: 'exports', before: { threshold: DEFAULT_THRESHOLD }, signal: 'handoff_reviewed' });
    expect(events[0]!.summary).toContain('answers more on its own');
  });

  it('closes a topic whose confident answers keep turning out wrong, and an admin can revert that', async () => {
    const workspaceId = randomUUID();
    for (let i = 0; i < 25; i++) await record(workspaceId, 'billing', 0.6 + (i % 10) * 0.02, i % 2 === 0);
    expect(await sut.policy.thresholdFor(workspaceId, 'billing')).toBeGreaterThan(1);
    const [moved] = await listLearningEvents(db.manager, workspaceId, { kind: 'threshold_moved' }, 10);
    expect(moved!.summary).toContain('now hands off every question');
    await sut.learned.revert(workspaceId, moved!.id, 'admin:test');
    expect(await sut.policy.thresholdFor(workspaceId, 'billing')).toBe(DEFAULT_THRESHOLD);
  });

  it("holds retrieval's cautious day-one bar until the topic has enough outcomes, then learns it down", async () => {
    const workspaceId = randomUUID();
    for (let i = 0; i < MIN_SAMPLES - 1; i++) await record(workspaceId, '', 0.3 + (i % 5) * 0.01, true);
    expect(await sut.policy.thresholdFor(workspaceId, '', DAY_ONE_THRESHOLD)).toBe(DAY_ONE_THRESHOLD);
    await record(workspaceId, '', 0.3, true);
    expect(await sut.policy.thresholdFor(workspaceId, '', DAY_ONE_THRESHOLD)).toBeCloseTo(0.3, 5);
  });

  it('keeps topics and workspaces apart', async () => {
    const workspaceId = randomUUID();
    for (let i = 0; i < 25; i++) await record(workspaceId, 'a', 0.05, true);
    expect(await sut.policy.thresholdFor(workspaceId, 'b')).toBe(DEFAULT_THRESHOLD);
    expect(await sut.policy.thresholdFor(randomUUID(), 'a')).toBe(DEFAULT_THRESHOLD);
  });
});
