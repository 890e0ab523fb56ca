/**
 * The taught-question decision on the knowledge service's real Postgres schema: a question near enough one agents
 * taught is answered from what they taught, searching only from the lowest taught bar of the workspace; a bar the
 * workspace has learned lower widens that search. Retrieval runs both without the intent model (as while a
 * workspace's model is built: pg_trgm's index searches the taught questions) and with it loaded (its copy of the
 * taught questions says which are near, Postgres checks those). Retrieval's and the model's own bars are closed,
 * so only the taught scale can answer. Both searches then find the same nearest questions, on many questions.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { IntentModels } from '../../services/knowledge/intent/intent-models';
import { HAND_OFF_ALL, TAUGHT_THRESHOLD } from '../../services/knowledge/learning/answer-policy';
import { MAX_VARIANTS_MATCHED, NEAREST_TAUGHT_AMONG_SQL, NEAREST_TAUGHT_SQL, TRIGRAM_FLOOR_SQL } from '../../services/knowledge/retrieval/retrieval.queries';
import { RetrievalService } from '../../services/knowledge/retrieval/retrieval.service';
import { setTopicBar, useKnowledgeServices } from '../helpers/knowledge-services';

const knowledge = useKnowledgeServices('loopdesk_it_taught_questions');

const TAUGHT = 'my new card still has not arrived after two weeks';

async function setUp(withModel: boolean) {
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
  await policy('intent', HAND_OFF_ALL);
  const intents = withModel ? new IntentModels(knowledge.db) : undefined;
  await intents?.ready(workspaceId);
  const retrieval = new RetrievalService(knowledge.db, knowledge.sut.policy, intents);
  const ask = (question: string) => retrieval.retrieve(workspaceId, question, { plan: '', limit: 3 });
  const similarity = async (question: string) => Number((await knowledge.db.query('SELECT public.similarity($1, $2)::float8 AS s', [TAUGHT, question]))[0].s);
  return { taught, policy, ask, similarity };
}

describe.each([
  ['without the intent model', false],
  ['with the intent model loaded', true],
])('questions near one agents taught, %s', (_, withModel) => {
  it('are answered from the taught item, on the taught scale, when they clear its bar', async () => {
    const { taught, ask, similarity } = await setUp(withModel);
    const question = 'my new card still hasnt arrived after two weeks';
    const near = await similarity(question);
    expect(near).toBeGreaterThanOrEqual(TAUGHT_THRESHOLD);
    const found = await ask(question);
    expect(found).toMatchObject({ scale: 'taught', threshold: TAUGHT_THRESHOLD });
    expect(found.confidence).toBeCloseTo(near, 5);
    expect(found.candidates[0]?.knowledgeItemId).toBe(taught.id);
  });

  it('are searched from the lowest taught bar: one learned lower finds questions the untaught bar could not', async () => {
    const { taught, policy, ask, similarity } = await setUp(withModel);
    const question = 'my new card has still not arrived';
    const near = await similarity(question);
    expect(near).toBeLessThan(TAUGHT_THRESHOLD);
    expect(near).toBeGreaterThan(0.6);
    // Handed off, by retrieval or the model under its closed bar: not answered from what agents taught.
    expect((await ask(question)).scale).not.toBe('taught');
    await policy('taught', 0.6);
    const found = await ask(question);
    expect(found).toMatchObject({ scale: 'taught', threshold: 0.6 });
    expect(found.confidence).toBeCloseTo(near, 5);
    expect(found.candidates[0]?.knowledgeItemId).toBe(taught.id);
  });
});

/** Taught questions of four answers, some near each other, and questions asked near and far from them. */
const PHRASINGS: Record<string, string[]> = {
  arrival: ['my card has not arrived yet', 'my new card still has not arrived', 'when will my card arrive', 'card not delivered after two weeks', 'where is my card'],
  topUp: ['how do i top up my card', 'top up by bank transfer', 'can i top up with a debit card', 'my top up did not go through', 'top up is pending'],
  fee: ['why was i charged a fee', 'why was i charged a fee for a transfer', 'transfer fee charged', 'what fees do you charge for transfers', 'extra fee on my statement'],
  pin: ['how do i change my pin', 'i forgot my pin', 'my pin is blocked', 'where can i see my pin', 'change pin at an atm'],
};

function askedNear(taught: string[]): string[] {
  const asked = new Set<string>();
  for (const text of taught) {
    const words = text.split(' ');
    asked.add(text);
    asked.add(`${text}?`);
    asked.add(`hi, ${text}`);
    asked.add(words.slice(1).join(' '));
    asked.add(words.slice(0, -1).join(' '));
    asked.add(words.map((word, i) => (i === words.length - 1 ? `${word}s` : word)).join(' '));
  }
  return [...asked, 'how do i close my account', 'the app crashes on start', 'a', '???'];
}

describe('the nearest taught questions, found in Postgres or through the intent model', () => {
  it('are the same two, at the same similarities, at the untaught bar and at lower ones', async () => {
    const workspaceId = randomUUID();
    const items: Record<string, string> = {};
    for (const [answer, questions] of Object.entries(PHRASINGS)) {
      const article = await knowledge.sut.knowledge.createArticle(workspaceId, { title: answer, body: `All about ${answer}.`, topic: 'cards' }, 'admin:test');
      for (const question of questions) {
        const learned = await knowledge.sut.learned.learnFromCorrection(workspaceId, {
          conversationId: randomUUID(),
          messageId: randomUUID(),
          question,
          correctedText: `What to do about ${answer}: see the article.`,
          references: [article.id],
          agent: 'agent:test',
          idempotencyKey: randomUUID(),
        });
        items[answer] ??= learned.item!.id;
      }
    }
    const intents = new IntentModels(knowledge.db);
    await intents.ready(workspaceId);
    const params = (question: string) => [workspaceId, question, '', []];
    let compared = 0;
    let found = 0;
    for (const floor of [TAUGHT_THRESHOLD, 0.6, 0.4]) {
      for (const question of askedNear(Object.values(PHRASINGS).flat())) {
        const byIndex = await knowledge.db.transaction(async (tx) => {
          await tx.query(TRIGRAM_FLOOR_SQL, [floor]);
          return tx.query(NEAREST_TAUGHT_SQL, params(question));
        });
        const verdict = (await intents.rank(workspaceId, question))!;
        const near = verdict.nearTaught(floor, MAX_VARIANTS_MATCHED);
        const byModel = near.length === 0 ? [] : await knowledge.db.query(NEAREST_TAUGHT_AMONG_SQL, [...params(question), near.map((q) => q.variantId), floor]);
        expect({ question, floor, nearest: byModel }).toEqual({ question, floor, nearest: byIndex });
        compared++;
        if (byIndex.length > 0) found++;
      }
    }
    // The comparison is not between two empty answers: most of the near questions found something at every floor.
    expect(compared).toBeGreaterThan(300);
    expect(found).toBeGreaterThan(compared / 3);
    expect(new Set(Object.values(items)).size).toBe(4);
  });
});
