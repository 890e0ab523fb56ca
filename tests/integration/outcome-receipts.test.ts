/**
 * Outcome signals arrive at least once (a sender resends one whose reply it did not get): keyed, each counts once
 * in the item's statistics, the topic's outcomes and the outbox, on knowledge's real Postgres schema; keys are
 * forgotten after OUTCOME_RECEIPT_DAYS.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { OUTCOME_RECEIPT_DAYS } from '../../services/knowledge/learning/outcome.service';
import { useKnowledgeServices } from '../helpers/knowledge-services';

const knowledge = useKnowledgeServices('loopdesk_it_outcome_receipts');

it('a resent signal with the same key changes nothing; another key counts; old keys are pruned', async () => {
  const workspaceId = randomUUID();
  const article = await knowledge.sut.knowledge.createArticle(workspaceId, { title: 'Card delivery', body: 'New cards are posted within one working day.' }, 'admin:test');
  const turnId = randomUUID();
  const dropOff = (idempotencyKey: string) =>
    knowledge.sut.outcomes.record(workspaceId, { knowledgeItemId: article.id, topic: 'cards', confidence: 0.8, signal: 'dropped_off', correct: false, source: { kind: 'customer', id: 'c1' }, idempotencyKey });
  const counts = async () =>
    (
      await knowledge.db.query(
        `SELECT (SELECT dropped_off_after FROM knowledge.item_stats WHERE item_id = $2) AS "droppedOff",
                (SELECT count(*)::int FROM knowledge.answer_outcomes WHERE workspace_id = $1) AS outcomes,
                (SELECT count(*)::int FROM knowledge.outbox_events WHERE workspace_id = $1 AND type = 'outcome_dropped_off') AS events`,
        [workspaceId, article.id],
      )
    )[0];

  await dropOff(`outcome:${turnId}:dropped_off`);
  const once = await counts();
  expect(once).toEqual({ droppedOff: 1, outcomes: 1, events: 1 });
  await dropOff(`outcome:${turnId}:dropped_off`);
  expect(await counts()).toEqual(once);
  await dropOff(`outcome:${randomUUID()}:dropped_off`);
  expect(await counts()).toEqual({ droppedOff: 2, outcomes: 2, events: 2 });

  await knowledge.db.query(`UPDATE knowledge.outcome_receipts SET received_at = now() - make_interval(days => $2 + 1) WHERE workspace_id = $1 AND key = $3`, [
    workspaceId,
    OUTCOME_RECEIPT_DAYS,
    `outcome:${turnId}:dropped_off`,
  ]);
  expect(await knowledge.sut.outcomes.pruneReceipts()).toBeGreaterThanOrEqual(1);
  const [{ kept }] = await knowledge.db.query(`SELECT count(*)::int AS kept FROM knowledge.outcome_receipts WHERE workspace_id = $1`, [workspaceId]);
  expect(kept).toBe(1);
});
