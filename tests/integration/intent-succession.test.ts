/**
 * A stale learned answer that an agent answers anew from the same sources is superseded: the intent model of
 * this process, of another replica (through its catch-up) and of one built from scratch all send its questions
 * to the new answer, and a revert of the new answer takes that back. Real Postgres, knowledge services only.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { IntentModels } from '../../services/knowledge/intent/intent-models';
import { listLearningEvents } from '../../services/knowledge/learning/learning-events';
import { eventually } from '../helpers/eventually';
import { useKnowledgeServices } from '../helpers/knowledge-services';

const knowledge = useKnowledgeServices('loopdesk_it_succession');
const OLD_TEXT = 'A replacement card arrives within 5 working days.';
const NEW_TEXT = 'Since March a replacement card arrives within 2 working days, by tracked post.';

async function setUp() {
  const workspaceId = randomUUID();
  const article = await knowledge.sut.knowledge.createArticle(workspaceId, { title: 'Card delivery', body: 'Cards are posted within one working day of the order.' }, 'admin:test');
  await knowledge.sut.intents.ready(workspaceId);
  const correct = async (question: string, correctedText: string) => {
    const learned = await knowledge.sut.learned.learnFromCorrection(workspaceId, {
      conversationId: randomUUID(),
      messageId: randomUUID(),
      question,
      correctedText,
      references: [article.id],
      agent: 'agent:test',
      idempotencyKey: randomUUID(),
    });
    if (!learned.item) throw new Error('learning is not frozen in this workspace, so a correction must teach');
    return { ...learned, item: learned.item };
  };
  const top = async (models: IntentModels, question: string) => (await models.rank(workspaceId, question))?.ranked[0]?.itemId ?? null;
  const item = async (id: string) => (await knowledge.db.query(`SELECT stale, superseded_by AS "supersededBy" FROM knowledge.knowledge_items WHERE id = $1`, [id]))[0];
  return { workspaceId, article, correct, top, item };
}

describe('a stale learned answer answered anew from the same sources', () => {
  it('hands its questions to the new answer on every replica, and a revert takes them back', async () => {
    const { workspaceId, article, correct, top, item } = await setUp();
    const old = await correct('How long does a replacement card take to reach me?', OLD_TEXT);
    await correct('when will my new card get here', OLD_TEXT);
    const replica = new IntentModels(knowledge.db);
    await replica.ready(workspaceId);
    await knowledge.sut.productChanges.record(workspaceId, { kind: 'release_note', title: 'Faster cards', description: 'Cards ship faster now.', productAreas: [], knowledgeItemIds: [article.id] }, 'admin:test');
    expect(await item(old.item.id)).toEqual({ stale: true, supersededBy: null });
    expect(await top(knowledge.sut.intents, 'when will my new card get here')).toBe(old.item.id);

    const fresh = await correct('my replacement card has still not arrived, how long does delivery take?', NEW_TEXT);
    expect(fresh.outcome).toBe('created');
    expect(await item(old.item.id)).toEqual({ stale: true, supersededBy: fresh.item.id });
    // A question only the old answer was taught now goes to the new one, here at once...
    expect(await top(knowledge.sut.intents, 'when will my new card get here')).toBe(fresh.item.id);
    // ...on another replica after its catch-up...
    expect(await eventually(() => top(replica, 'when will my new card get here'), (itemId) => itemId === fresh.item.id)).toBe(fresh.item.id);
    // ...and in a model built from Postgres alone.
    const rebuilt = new IntentModels(knowledge.db);
    await rebuilt.ready(workspaceId);
    expect(await top(rebuilt, 'when will my new card get here')).toBe(fresh.item.id);

    const [created] = (await listLearningEvents(knowledge.db.manager, workspaceId, { kind: 'learned_answer_created' }, 10)).filter((e) => e.itemId === fresh.item.id);
    expect(created!.after).toMatchObject({ superseded: [old.item.id] });
    await knowledge.sut.learned.revert(workspaceId, created!.id, 'admin:test');
    expect(await item(old.item.id)).toEqual({ stale: true, supersededBy: null });
    await knowledge.sut.intents.ready(workspaceId);
    expect(await top(knowledge.sut.intents, 'when will my new card get here')).toBe(old.item.id);
    // The other replica notices the succession was taken back and rebuilds.
    expect(await eventually(() => replica.rank(workspaceId, 'when will my new card get here'), (verdict) => verdict === null)).toBeNull();
    await replica.ready(workspaceId);
    expect(await top(replica, 'when will my new card get here')).toBe(old.item.id);
  });

  it('leaves an answer that is not stale alone: a different answer from the same sources is just another answer', async () => {
    const { correct, top, item } = await setUp();
    const old = await correct('How long does a replacement card take to reach me?', OLD_TEXT);
    const other = await correct('how long does a replacement card take to arrive abroad?', 'Abroad, a replacement card takes up to 10 working days.');
    expect(other.outcome).toBe('created');
    expect(await item(old.item.id)).toEqual({ stale: false, supersededBy: null });
    expect(await top(knowledge.sut.intents, 'How long does a replacement card take to reach me?')).toBe(old.item.id);
  });
});
