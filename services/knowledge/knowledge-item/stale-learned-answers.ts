/**
 * A learned answer says what its source articles said when the agent wrote it (the product-change review rests on
 * the same rule). When an article's text is edited, the learned answers that reference it may now say the old
 * thing: they are flagged stale (handed off, not answered from, and queued for review) until someone edits them
 * or a correction supersedes them.
 */
import type { EntityManager } from 'typeorm';
import { recordEvents } from '../../shared/outbox';
import { rowsOf } from '../../shared/sql-rows';
import { recordLearningEvent } from '../learning/learning-events';

export async function flagLearnedAnswersOf(tx: EntityManager, workspaceId: string, article: { id: string; title: string }, actor: string): Promise<string[]> {
  const flagged = rowsOf<{ id: string; topic: string; title: string }>(await tx.query(
    `UPDATE knowledge.knowledge_items
        SET stale = true, stale_since = now(), stale_reason = $3, updated_at = now()
      WHERE workspace_id = $1 AND kind = 'learned_answer' AND status = 'published' AND NOT stale
        AND coalesce(provenance->'references', '[]'::jsonb) ? $2
      RETURNING id, topic, title`,
    [workspaceId, article.id, `its source article "${article.title.slice(0, 120)}" was edited`],
  ));
  await recordStaleFlags(tx, workspaceId, flagged, {
    cause: `its source article "${article.title.slice(0, 80)}" was edited`,
    signal: 'article_edited',
    actor,
    after: { editedArticle: article.id },
  });
  return flagged.map((item) => item.id);
}

/**
 * What follows flagging learned answers stale outside a product change: each is queued for review, the learning
 * log says why (`cause` ends its summary, `after` joins { stale: true }), and the warehouse hears of it.
 */
export async function recordStaleFlags(
  tx: EntityManager,
  workspaceId: string,
  flagged: Array<{ id: string; topic: string; title: string }>,
  why: { cause: string; signal: string; actor: string; after: Record<string, unknown> },
): Promise<void> {
  for (const item of flagged) {
    await tx.query(`INSERT INTO knowledge.review_requests (workspace_id, item_id, reason) VALUES ($1, $2, 'stale')`, [workspaceId, item.id]);
    await recordLearningEvent(tx, {
      workspaceId,
      kind: 'stale_flagged',
      itemId: item.id,
      topic: item.topic,
      summary: `"${item.title.slice(0, 80)}" may be out of date: ${why.cause}`,
      signal: why.signal,
      actor: why.actor,
      before: { stale: false },
      after: { stale: true, ...why.after },
    });
  }
  await recordEvents(
    tx,
    flagged.map((item) => ({ workspaceId, type: 'knowledge_flagged_stale', payload: { knowledgeItemId: item.id, topic: item.topic, productChangeId: '' } })),
  );
}
