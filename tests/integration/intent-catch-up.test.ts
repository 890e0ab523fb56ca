/**
 * What another replica's intent model hears of through its catch-up alone, on real Postgres (knowledge services
 * only): a reverted question (a deleted row, which no catch-up query can read) makes every replica rebuild, and an
 * article written by a transaction that stayed open longer than the catch-up's overlap is still learned once it
 * commits.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { IntentModels } from '../../services/knowledge/intent/intent-models';
import { listLearningEvents } from '../../services/knowledge/learning/learning-events';
import { eventually } from '../helpers/eventually';
import { useKnowledgeServices } from '../helpers/knowledge-services';

jest.setTimeout(60_000);

const knowledge = useKnowledgeServices('loopdesk_it_intent_catch_up');

const ANSWER = 'Order a replacement card under Cards > Replace; it arrives within five working days.';

it('a question taught and then reverted is forgotten by another replica, not only by the one that reverted it', async () => {
  const workspaceId = randomUUID();
  const article = await knowledge.sut.knowledge.createArticle(workspaceId, { title: 'Card delivery', body: 'New cards are posted within one working day.' }, 'admin:test');
  const correct = (question: string) =>
    knowledge.sut.learned.learnFromCorrection(workspaceId, {
      conversationId: randomUUID(),
      messageId: randomUUID(),
      question,
      correctedText: ANSWER,
      references: [article.id],
      agent: 'agent:test',
      idempotencyKey: randomUUID(),
    });
  await correct('How do I get a replacement card?');
  const variant = await correct('my card snapped in half, what now');
  expect(variant.outcome).toBe('variant_added');
  const replica = new IntentModels(knowledge.db);
  await replica.ready(workspaceId);
  const variantId = (variant.learningEventId && (await knowledge.db.query(`SELECT id FROM knowledge.question_variants WHERE text = $1 AND workspace_id = $2`, ['my card snapped in half, what now', workspaceId]))[0].id) as string;
  const taughtNear = async (models: IntentModels) => (await models.rank(workspaceId, 'my card snapped in half, what now'))?.nearTaught(0.9, 5).map((q) => q.variantId) ?? null;
  expect(await taughtNear(replica)).toEqual([variantId]);

  const [added] = await listLearningEvents(knowledge.db.manager, workspaceId, { kind: 'question_variant_added' }, 10);
  await knowledge.sut.learned.revert(workspaceId, added!.id, 'admin:test');

  // The replica's next catch-up sees the workspace's epoch moved and rebuilds (answering without the model meanwhile).
  expect(await eventually(() => replica.rank(workspaceId, 'my card snapped in half, what now'), (verdict) => verdict === null)).toBeNull();
  await replica.ready(workspaceId);
  expect(await taughtNear(replica)).toEqual([]);
  expect((await replica.rank(workspaceId, 'How do I get a replacement card?'))?.variants).toBe(1);
});

it('an article committed by a transaction open longer than the overlap is still learned by a replica that caught up meanwhile', async () => {
  const workspaceId = randomUUID();
  await knowledge.sut.knowledge.createArticle(workspaceId, { title: 'Card delivery', body: 'New cards are posted within one working day.' }, 'admin:test');
  const replica = new IntentModels(knowledge.db);
  await replica.ready(workspaceId);

  // A long import: its rows carry the transaction's start time, and it commits after later changes were seen.
  const importer = knowledge.db.createQueryRunner();
  await importer.connect();
  let importedId: string;
  try {
    await importer.startTransaction();
    const [row] = await importer.query(
      `INSERT INTO knowledge.knowledge_items (workspace_id, kind, status, title, body) VALUES ($1, 'article', 'published', 'Crypto wallets', 'Buy and sell bitcoin from the Crypto tab; the wallet holds your coins.') RETURNING id`,
      [workspaceId],
    );
    importedId = row.id;
    // Past the catch-up's 5 s overlap, another article commits and the replica catches up past it.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const later = await knowledge.sut.knowledge.createArticle(workspaceId, { title: 'Exchange rates', body: 'Foreign payments convert at the interbank rate.' }, 'admin:test');
    expect(await eventually(async () => (await replica.rank(workspaceId, 'interbank exchange rates'))?.ranked[0]?.itemId, (itemId) => itemId === later.id)).toBe(later.id);
    await importer.commitTransaction();
  } finally {
    await importer.release();
  }
  const top = async () => (await replica.rank(workspaceId, 'how do I buy bitcoin in the crypto wallet'))?.ranked[0]?.itemId ?? null;
  expect(await eventually(top, (itemId) => itemId === importedId, 10_000)).toBe(importedId!);
});
