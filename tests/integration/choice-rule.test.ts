/**
 * Who chooses, the intent model or retrieval, on the knowledge service's real Postgres schema. The model chooses
 * an item it was taught when it is sure enough (INTENT_TAKES_OVER); when it is less sure, it still chooses if
 * retrieval is under its own bar (the question is handed off either way, and the hand-off carries the model's
 * candidate and its scale), and retrieval chooses when retrieval clears its bar. When both would give the same
 * answer, the model's confidence is that either is right: 1 − (1 − model)(1 − retrieval).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { HAND_OFF_ALL } from '../../services/knowledge/learning/answer-policy';
import { NO_EVIDENCE, intentConfidence } from '../../services/knowledge/retrieval/ranking';
import { INTENT_TAKES_OVER, RetrievalService } from '../../services/knowledge/retrieval/retrieval.service';
import { setTopicBar, useKnowledgeServices } from '../helpers/knowledge-services';

const knowledge = useKnowledgeServices('loopdesk_it_choice_rule');

const DELIVERY = { title: 'Card delivery', body: 'New cards are posted within one working day. Delivery takes five to seven working days.', topic: 'cards' };
const TOP_UP = { title: 'Top up by bank transfer', body: 'Send money from your bank account to your account number. Transfers arrive within a day.', topic: 'cards' };
const RATES = { title: 'Exchange rates', body: 'We convert foreign currency payments at the interbank rate. A small markup applies at weekends.', topic: 'cards' };

/** A fixed workspace id: the model's replay draws are seeded by it, so each run teaches the same model. */
async function setUp(workspaceId: string) {
  const items = [];
  for (const fields of [DELIVERY, TOP_UP, RATES]) items.push(await knowledge.sut.knowledge.createArticle(workspaceId, fields, 'admin:test'));
  const teach = (question: string, itemId: string, body: string) =>
    knowledge.sut.learned.learnFromCorrection(workspaceId, {
      conversationId: randomUUID(),
      messageId: randomUUID(),
      question,
      correctedText: body,
      references: [itemId],
      agent: 'agent:test',
      idempotencyKey: randomUUID(),
    });
  const setBar = (scale: string, threshold: number) => setTopicBar(knowledge.db, workspaceId, 'cards', scale, threshold);
  await knowledge.sut.intents.ready(workspaceId);
  const retrieval = new RetrievalService(knowledge.db, knowledge.sut.policy, knowledge.sut.intents);
  const ask = (question: string) => retrieval.retrieve(workspaceId, question, { plan: '', limit: 3 });
  return { workspaceId, items, teach, setBar, ask };
}

/** The model's own confidence in `itemId`: its margin over the best item that is neither it nor `sameAs` (the same answer). */
async function modelConfidence(workspaceId: string, question: string, itemId: string, sameAs: string): Promise<number> {
  const ranked = (await knowledge.sut.intents.rank(workspaceId, question))!.ranked;
  expect(ranked[0]?.itemId).toBe(itemId);
  const rival = ranked.find((p) => p.itemId !== itemId && p.itemId !== sameAs)!;
  return intentConfidence(ranked[0]!.score, rival.score, NO_EVIDENCE);
}

/**
 * The agent taught "where is my plastic…" for the delivery article and "how do i put funds in" for the top-up one,
 * in their own words (`ownWords`) or in the articles'; the taught-question scale is closed, so only the model and
 * retrieval decide. The question shares two words with what was taught and one ("posted") with the delivery
 * article: the model leans, unsure, towards the taught answer; retrieval finds the article.
 */
async function plasticScenario(workspaceId: string, ownWords: boolean) {
  const scenario = await setUp(workspaceId);
  const [delivery, topUp] = scenario.items;
  const taught = await scenario.teach('where is my plastic, it never showed up', delivery!.id, ownWords ? 'Sorry for the wait! Cards take about a week to arrive.' : DELIVERY.body);
  await scenario.teach('how do i put funds in', topUp!.id, ownWords ? 'Transfer money from your bank.' : TOP_UP.body);
  await scenario.setBar('taught', HAND_OFF_ALL);
  return { ...scenario, delivery: delivery!, taught: taught.item!, question: 'still not showing, posted' };
}

describe('who chooses the answer', () => {
  it('the model, for an item it was taught, when retrieval is under its bar even though the model is not sure enough to take over', async () => {
    // The agent's words are their own, so the model's answer and the article retrieval finds are not the same answer.
    const { workspaceId, delivery, taught, question, setBar, ask } = await plasticScenario('5c0b5cf4-5d1e-4c1f-9b8e-0d6c7a1e2f01', true);
    await setBar('retrieval', HAND_OFF_ALL);
    const handedOff = await ask(question);
    expect(handedOff.scale).toBe('intent');
    // The model's own confidence, not lifted: retrieval would not give this answer.
    expect(handedOff.confidence).toBeCloseTo(await modelConfidence(workspaceId, question, taught.id, taught.id), 9);
    expect(handedOff.confidence).toBeLessThan(INTENT_TAKES_OVER);
    expect(handedOff.candidates[0]?.knowledgeItemId).toBe(taught.id);

    // With retrieval's bar open, retrieval's own (answering) choice stands over the model's unsure one.
    await setBar('retrieval', 0);
    const answered = await ask(question);
    expect(answered.scale).toBe('retrieval');
    expect(answered.threshold).toBe(0);
    expect(answered.candidates[0]?.knowledgeItemId).toBe(delivery!.id);
  });

  it('retrieval, when the model is unsure and its choice is stale: the hand-off carries what the current text says', async () => {
    const { workspaceId, delivery, taught, question, setBar, ask } = await plasticScenario('5c0b5cf4-5d1e-4c1f-9b8e-0d6c7a1e2f04', true);
    await setBar('retrieval', HAND_OFF_ALL);
    expect((await ask(question)).candidates[0]?.knowledgeItemId).toBe(taught.id);

    // Delivery changed: the article and the answer written from it are flagged stale (the article is edited next).
    await knowledge.sut.productChanges.record(workspaceId, { kind: 'release_note', title: 'Faster delivery', description: 'Cards now arrive next day.', productAreas: [], knowledgeItemIds: [delivery!.id] }, 'admin:test');
    const found = await ask(question);
    expect(found.scale).toBe('retrieval');
    expect(found.candidates[0]?.knowledgeItemId).not.toBe(taught.id);
  });

  it('both, when they agree: the model chooses, its confidence that either is right', async () => {
    // The agent answered with the article's words: the model's answer and retrieval's are the same answer.
    const { workspaceId, delivery, taught, question, setBar, ask } = await plasticScenario('5c0b5cf4-5d1e-4c1f-9b8e-0d6c7a1e2f03', false);
    await setBar('retrieval', HAND_OFF_ALL);
    const model = await modelConfidence(workspaceId, question, taught.id, delivery!.id);
    const found = await ask(question);
    expect(found.scale).toBe('intent');
    expect(found.candidates[0]?.knowledgeItemId).toBe(taught.id);
    expect(found.confidence).toBeGreaterThan(model);
  });

  it('the model, whatever retrieval says, once it is sure enough of an item it was taught', async () => {
    const { items, teach, setBar, ask } = await setUp('5c0b5cf4-5d1e-4c1f-9b8e-0d6c7a1e2f02');
    const [delivery] = items;
    const taught = await teach('where is my plastic, it never showed up', delivery!.id, DELIVERY.body);
    for (const q of ['my plastic never showed up', 'plastic not showing up, where is it']) await teach(q, delivery!.id, DELIVERY.body);
    await setBar('retrieval', 0);
    const found = await ask('where is my plastic');
    expect(found.scale).toBe('intent');
    expect(found.confidence).toBeGreaterThanOrEqual(INTENT_TAKES_OVER);
    expect(found.candidates[0]?.knowledgeItemId).toBe(taught.item!.id);
  });
});
