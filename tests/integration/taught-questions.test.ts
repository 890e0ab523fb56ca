/**
 * The taught-question decision on the knowledge service's real Postgres schema: a question near enough one agents
 * taught is answered from what they taught, with the trigram index searching only from the lowest taught bar of the
 * workspace; a bar the workspace has learned lower widens that search. Retrieval runs without the intent model here
 * (as while a workspace's model is built), and retrieval's own bar is closed, so only the taught scale can answer.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { HAND_OFF_ALL, TAUGHT_THRESHOLD } from '../../services/knowledge/learning/answer-policy';
import { RetrievalService } from '../../services/knowledge/retrieval/retrieval.service';
import { setTopicBar, useKnowledgeServices } from '../helpers/knowledge-services';

const knowledge = useKnowledgeServices('loopdesk_it_taught_questions');

const TAUGHT = 'my new card still has not arrived after two weeks';

async function setUp() {
  const workspaceId = randomUUID();
  const create = (title: string, body: string) => knowledge.sut.knowledge.createArticle(workspaceId, { title, body, topic: 'cards' }, 'admin:test');
  const arrival = await create('Card delivery', 'Cards arrive within 5 working days. Track the delivery in the app under Card > Delivery.');
  await create('Topping up', 'Top up by bank transfer or with a debit card from Account > Top up.');
  const learned = await knowledge.sut.learned.learnFromCorrection(workspaceId, {
    conversationId: randomUUID(),
    messageId: randomUUID(),
    question: TAUGHT,
    correctedText: 'Cards arrive within 5 working days. Track the delivery in the app under Card > Delivery.',
    references: [arrival.id],
    agent: 'agent:test',
    idempotencyKey: randomUUID(),
  });
  // The agent's answer, learned for the question (citing the article it drew on).
  const taught = learned.item!;
  const policy = (scale: string, threshold: number) => setTopicBar(knowledge.db, workspaceId, 'cards', scale, threshold);
  // Retrieval's own confidence never answers in this workspace: what answers is the taught scale or nothing.
  await policy('retrieval', HAND_OFF_ALL);
  const retrieval = new RetrievalService(knowledge.db, knowledge.sut.policy);
  const ask = (question: string) => retrieval.retrieve(workspaceId, question, { plan: '', limit: 3 });
  const similarity = async (question: string) => Number((await knowledge.db.query('SELECT public.similarity($1, $2)::float8 AS s', [TAUGHT, question]))[0].s);
  return { taught, policy, ask, similarity };
}

describe('questions near one agents taught', () => {
  it('are answered from the taught item, on the taught scale, when they clear its bar', async () => {
    const { taught, ask, similarity } = await setUp();
    const question = 'my new card still hasnt arrived after two weeks';
    const near = await similarity(question);
    expect(near).toBeGreaterThanOrEqual(TAUGHT_THRESHOLD);
    const found = await ask(question);
    expect(found).toMatchObject({ scale: 'taught', threshold: TAUGHT_THRESHOLD });
    expect(found.confidence).toBeCloseTo(near, 5);
    expect(found.candidates[0]?.knowledgeItemId).toBe(taught.id);
  });

  it('are searched from the lowest taught bar: one learned lower finds questions the untaught bar could not', async () => {
    const { taught, policy, ask, similarity } = await setUp();
    const question = 'my new card has still not arrived';
    const near = await similarity(question);
    expect(near).toBeLessThan(TAUGHT_THRESHOLD);
    expect(near).toBeGreaterThan(0.6);
    expect((await ask(question)).scale).toBe('retrieval');
    await policy('taught', 0.6);
    const found = await ask(question);
    expect(found).toMatchObject({ scale: 'taught', threshold: 0.6 });
    expect(found.confidence).toBeCloseTo(near, 5);
    expect(found.candidates[0]?.knowledgeItemId).toBe(taught.id);
  });
});
