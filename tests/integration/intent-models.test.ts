/**
 * The workspace intent models stay true to Postgres and bounded in memory: an edited article's new text is
 * learned without a restart (here at once, on another replica at its catch-up), an archived item leaves every
 * model, and past the bound the least recently used model is dropped and, rebuilt on demand, answers the same.
 * Real Postgres, knowledge services only.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { IntentModels } from '../../services/knowledge/intent/intent-models';
import { eventually } from '../helpers/eventually';
import { useKnowledgeServices } from '../helpers/knowledge-services';

const knowledge = useKnowledgeServices('loopdesk_it_intent_models');

const ARTICLES = [
  { title: 'Card delivery', body: 'New cards are posted within one working day. Delivery takes five to seven working days.' },
  { title: 'Top up by bank transfer', body: 'Send money from your bank account to your account number. Transfers arrive within a day.' },
  { title: 'Exchange rates', body: 'We convert foreign currency payments at the interbank rate. A small markup applies at weekends.' },
];

async function workspaceWithKnowledge() {
  const workspaceId = randomUUID();
  const articles = [];
  for (const fields of ARTICLES) articles.push(await knowledge.sut.knowledge.createArticle(workspaceId, fields, 'admin:test'));
  const teach = async (question: string, itemId: string) => {
    const result = await knowledge.sut.learned.learnFromCorrection(workspaceId, {
      conversationId: randomUUID(),
      messageId: randomUUID(),
      question,
      correctedText: `Answer for ${itemId}`,
      references: [itemId],
      agent: 'agent:test',
      idempotencyKey: randomUUID(),
    });
    // These workspaces never freeze learning, so every correction teaches.
    if (result.item === null) throw new Error(`the correction taught nothing (${result.outcome})`);
    return { ...result, item: result.item };
  };
  return { workspaceId, articles, teach };
}

const top = async (models: IntentModels, workspaceId: string, question: string) => (await models.rank(workspaceId, question))?.ranked[0]?.itemId ?? null;
const ranked = async (models: IntentModels, workspaceId: string, question: string) => (await models.rank(workspaceId, question))?.ranked.map((p) => p.itemId) ?? null;

describe('an edited article', () => {
  it('has its new sentence learned without a restart: at once here, and on another replica at its catch-up', async () => {
    const { workspaceId, articles } = await workspaceWithKnowledge();
    const [delivery] = articles;
    const question = 'freeze it in the security tab';
    await knowledge.sut.intents.ready(workspaceId);
    const replica = new IntentModels(knowledge.db);
    await replica.ready(workspaceId);
    expect(await top(knowledge.sut.intents, workspaceId, question)).not.toBe(delivery!.id);

    await knowledge.sut.knowledge.updateArticle(workspaceId, delivery!.id, { body: `${ARTICLES[0]!.body}\nYou can freeze your card at any time from the Security tab.` }, 'admin:test');

    expect(await top(knowledge.sut.intents, workspaceId, question)).toBe(delivery!.id);
    // The replica catches up on a ranking once its interval has passed.
    expect(await eventually(() => top(replica, workspaceId, question), (itemId) => itemId === delivery!.id)).toBe(delivery!.id);
  });

  it('flags the learned answers drawn from it stale: they say what it said before', async () => {
    const { workspaceId, articles, teach } = await workspaceWithKnowledge();
    const [delivery, topUp] = articles;
    const fromDelivery = await teach('when will my card arrive', delivery!.id);
    const fromTopUp = await teach('how do i add money by transfer', topUp!.id);
    await knowledge.sut.knowledge.updateArticle(workspaceId, delivery!.id, { body: 'New cards are posted the same day. Delivery takes two working days.' }, 'admin:test');
    const stale = await knowledge.db.query(`SELECT id, stale, stale_reason AS reason FROM knowledge.knowledge_items WHERE id = ANY($1::uuid[]) ORDER BY stale DESC`, [[fromDelivery.item.id, fromTopUp.item.id]]);
    expect(stale).toEqual([
      { id: fromDelivery.item.id, stale: true, reason: 'its source article "Card delivery" was edited' },
      { id: fromTopUp.item.id, stale: false, reason: null },
    ]);
    const queue = await knowledge.db.query(`SELECT item_id AS "itemId", reason FROM knowledge.review_requests WHERE workspace_id = $1 AND resolved_at IS NULL`, [workspaceId]);
    expect(queue).toEqual([{ itemId: fromDelivery.item.id, reason: 'stale' }]);
    // A change of topic or tags alone says nothing new: nothing more is flagged.
    await knowledge.sut.knowledge.updateArticle(workspaceId, topUp!.id, { tags: ['money'] }, 'admin:test');
    expect((await knowledge.db.query(`SELECT stale FROM knowledge.knowledge_items WHERE id = $1`, [fromTopUp.item.id]))[0].stale).toBe(false);
  });

  it('keeps the questions it was taught after the edit', async () => {
    const { workspaceId, articles } = await workspaceWithKnowledge();
    const [, topUp] = articles;
    // A question customers confirmed this article answers (what a rated-up answer records).
    await knowledge.db.query(`INSERT INTO knowledge.question_variants (workspace_id, item_id, text) VALUES ($1, $2, $3)`, [workspaceId, topUp!.id, 'why is my money not in my account yet']);
    await knowledge.sut.intents.ready(workspaceId);
    expect(await top(knowledge.sut.intents, workspaceId, 'why is my money not in my account yet')).toBe(topUp!.id);
    await knowledge.sut.knowledge.updateArticle(workspaceId, topUp!.id, { body: 'Top up by card or bank transfer. Card top-ups arrive at once.' }, 'admin:test');
    expect(await top(knowledge.sut.intents, workspaceId, 'why is my money not in my account yet')).toBe(topUp!.id);
  });
});

describe('an archived item', () => {
  it('leaves the model here at once and on another replica at its catch-up', async () => {
    const { workspaceId, articles, teach } = await workspaceWithKnowledge();
    const [, , rates] = articles;
    const question = 'what rate do you use to convert my payment abroad';
    const { item: learned } = await teach(question, rates!.id);
    await knowledge.sut.intents.ready(workspaceId);
    const replica = new IntentModels(knowledge.db);
    await replica.ready(workspaceId);
    expect(await top(knowledge.sut.intents, workspaceId, question)).toBe(learned.id);

    await knowledge.sut.knowledge.archive(workspaceId, learned.id, 'admin:test');

    expect(await ranked(knowledge.sut.intents, workspaceId, question)).not.toContain(learned.id);
    const afterCatchUp = await eventually(() => ranked(replica, workspaceId, question), (itemIds) => itemIds !== null && !itemIds.includes(learned.id));
    expect(afterCatchUp).not.toBeNull();
    expect(afterCatchUp).not.toContain(learned.id);
    const rebuilt = new IntentModels(knowledge.db);
    await rebuilt.ready(workspaceId);
    expect(await ranked(rebuilt, workspaceId, question)).toEqual(expect.arrayContaining([rates!.id]));
    expect(await ranked(rebuilt, workspaceId, question)).not.toContain(learned.id);
  });
});

describe('the models a process holds', () => {
  it('stay under their byte bound as workspaces are added, and an evicted model rebuilds and answers the same', async () => {
    const questions = ['where is my new card', 'how do I add money by transfer', 'which exchange rate applies', 'my payment was converted wrongly'];
    const workspaces = [];
    for (let i = 0; i < 5; i++) {
      const workspace = await workspaceWithKnowledge();
      await workspace.teach(`my card has not come in the post (${i})`, workspace.articles[0]!.id);
      await workspace.teach(`transfer to top up my account (${i})`, workspace.articles[1]!.id);
      workspaces.push(workspace);
    }
    const probe = new IntentModels(knowledge.db);
    await probe.ready(workspaces[0]!.workspaceId);
    const oneModel = probe.bytes;
    const maxBytes = Math.floor(oneModel * 2.5);
    const models = new IntentModels(knowledge.db, undefined, { maxModels: 100, maxBytes });

    const first = workspaces[0]!.workspaceId;
    await models.ready(first);
    const answersBefore = await Promise.all(questions.map(async (q) => (await models.rank(first, q))!.ranked));
    for (const { workspaceId } of workspaces.slice(1)) {
      await models.ready(workspaceId);
      expect(models.bytes).toBeLessThanOrEqual(maxBytes);
      expect(models.held()).toContain(workspaceId);
    }
    expect(models.held()).toHaveLength(2);
    expect(models.held()).not.toContain(first);

    // Evicted: the next question starts a rebuild (retrieval answers meanwhile); rebuilt, it answers as before.
    expect(await models.rank(first, questions[0]!)).toBeNull();
    await models.ready(first);
    expect(models.bytes).toBeLessThanOrEqual(maxBytes);
    for (const [k, q] of questions.entries()) {
      const after = (await models.rank(first, q))!.ranked;
      expect(after.map((p) => p.itemId)).toEqual(answersBefore[k]!.map((p) => p.itemId));
      after.forEach((p, i) => expect(p.score).toBeCloseTo(answersBefore[k]![i]!.score, 6));
    }
  });

  it('keeps the most recently used models when evicting', async () => {
    const [a, b, c] = [await workspaceWithKnowledge(), await workspaceWithKnowledge(), await workspaceWithKnowledge()];
    const models = new IntentModels(knowledge.db, undefined, { maxModels: 2, maxBytes: Number.MAX_SAFE_INTEGER });
    await models.ready(a.workspaceId);
    await models.ready(b.workspaceId);
    await models.rank(a.workspaceId, 'card delivery');
    await models.ready(c.workspaceId);
    expect(models.held().sort()).toEqual([a.workspaceId, c.workspaceId].sort());
  });

  it('evict another model when one grows past the byte bound by learning new items', async () => {
    const [a, b] = [await workspaceWithKnowledge(), await workspaceWithKnowledge()];
    const probe = new IntentModels(knowledge.db);
    await probe.ready(a.workspaceId);
    const models = new IntentModels(knowledge.db, undefined, { maxModels: 100, maxBytes: Math.floor(probe.bytes * 2.5) });
    await models.ready(a.workspaceId);
    await models.ready(b.workspaceId);
    expect(models.held()).toHaveLength(2);
    // Two answers the model has not seen: its matrices double their columns, past the bound for two models.
    models.learnedVariant(b.workspaceId, randomUUID(), 'how do I close my account', randomUUID());
    models.learnedVariant(b.workspaceId, randomUUID(), 'how do I change my address', randomUUID());
    expect(models.held()).toEqual([b.workspaceId]);
  });
});
