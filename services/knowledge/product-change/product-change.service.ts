/**
 * Product changes (release notes, pricing changes, deprecated features) make knowledge stale. Recording one
 * flags every published item it touches — by product-area tag, by topic, or named explicitly — and every
 * learned answer whose references include one of them, lowers those items' ranking, and queues them for review. Editing an item settles its staleness.
 */
import type { DataSource } from 'typeorm';
import { notFound } from '../../shared/errors';
import { recordEvents } from '../../shared/outbox';
import { rowsOf } from '../../shared/sql-rows';
import { queueWorkflowStart } from '../../shared/workflow-starts';
import { recordLearningEvent } from '../learning/learning-events';

export type ProductChangeKind = 'release_note' | 'pricing_change' | 'deprecated_feature';

export interface ProductChangeFields {
  kind: ProductChangeKind;
  title: string;
  description: string;
  productAreas: string[];
  knowledgeItemIds: string[];
}

export interface RecordedProductChange {
  id: string;
  kind: ProductChangeKind;
  title: string;
  description: string;
  productAreas: string[];
  createdBy: string;
  createdAt: Date;
  flaggedItemIds: string[];
}

export interface ReviewPolicy {
  /** Null: reviews are not run as workflows. */
  enabled: boolean;
  deadlineMs: number;
  checkEveryMs: number;
}

export interface ProductChangeRow extends Omit<RecordedProductChange, 'flaggedItemIds'> {
  reviewDeadline: Date | null;
  reviewClosedAt: Date | null;
  reviewOutcome: string | null;
  flaggedItemIds: string[];
}

export class ProductChangeService {
  constructor(
    private readonly db: DataSource,
    private readonly review: ReviewPolicy,
  ) {}

  async record(workspaceId: string, fields: ProductChangeFields, actor: string): Promise<RecordedProductChange> {
    return this.db.transaction(async (tx) => {
      if (fields.knowledgeItemIds.length > 0) {
        const found: Array<{ id: string }> = await tx.query(`SELECT id FROM knowledge.knowledge_items WHERE workspace_id = $1 AND id = ANY($2::uuid[])`, [
          workspaceId,
          fields.knowledgeItemIds,
        ]);
        const missing = fields.knowledgeItemIds.filter((id) => !found.some((f) => f.id === id));
        if (missing.length > 0) throw notFound('Knowledge item', missing.join(', '));
      }
      const [change] = await tx.query(
        `INSERT INTO knowledge.product_changes (workspace_id, kind, title, description, product_areas, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at AS "createdAt"`,
        [workspaceId, fields.kind, fields.title, fields.description, fields.productAreas, actor],
      );
      const flagged = rowsOf<{ id: string; topic: string; title: string }>(await tx.query(
        `WITH touched AS (
           SELECT id FROM knowledge.knowledge_items
            WHERE workspace_id = $1 AND status = 'published'
              AND (tags && $2::text[] OR topic = ANY($2::text[]) OR id = ANY($4::uuid[]))
         )
         UPDATE knowledge.knowledge_items
            SET stale = true, stale_since = now(), stale_reason = $3, updated_at = now()
          WHERE workspace_id = $1 AND status = 'published' AND NOT stale
            AND (id IN (SELECT id FROM touched)
                 -- A learned answer says what its source items said when the agent wrote it: stale with them.
                 OR (kind = 'learned_answer' AND coalesce(provenance->'references', '[]'::jsonb) ?| ARRAY(SELECT id::text FROM touched)))
          RETURNING id, topic, title`,
        [workspaceId, fields.productAreas, `${fields.kind}: ${fields.title}`, fields.knowledgeItemIds],
      ));
      for (const item of flagged) {
        await tx.query(`INSERT INTO knowledge.review_requests (workspace_id, item_id, reason, product_change_id) VALUES ($1, $2, 'stale', $3)`, [
          workspaceId,
          item.id,
          change.id,
        ]);
        await recordLearningEvent(tx, {
          workspaceId,
          kind: 'stale_flagged',
          itemId: item.id,
          topic: item.topic,
          summary: `"${item.title.slice(0, 80)}" may be out of date after "${fields.title}"`,
          signal: 'product_change',
          actor,
          before: { stale: false },
          after: { stale: true, productChangeId: change.id },
        });
      }
      if (flagged.length === 0) {
        await tx.query(`UPDATE knowledge.product_changes SET review_closed_at = now(), review_outcome = 'nothing_to_review' WHERE id = $1`, [change.id]);
      } else if (this.review.enabled) {
        await tx.query(`UPDATE knowledge.product_changes SET review_deadline = now() + make_interval(secs => $2::float8 / 1000) WHERE id = $1`, [change.id, this.review.deadlineMs]);
        await queueWorkflowStart(tx, 'knowledge', workspaceId, {
          workflowType: 'productChangeReview',
          workflowId: `product-change-review-${change.id}`,
          args: [{ workspaceId, productChangeId: change.id, deadlineMs: this.review.deadlineMs, checkEveryMs: this.review.checkEveryMs }],
        });
      }
      await recordEvents(tx, [
        {
          workspaceId,
          type: 'product_change_recorded',
          payload: { productChangeId: change.id, kind: fields.kind, title: fields.title, productAreas: fields.productAreas, flagged: flagged.length },
        },
        ...flagged.map((item) => ({ workspaceId, type: 'knowledge_flagged_stale', payload: { knowledgeItemId: item.id, topic: item.topic, productChangeId: change.id } })),
      ]);
      return { id: change.id, ...fields, createdBy: actor, createdAt: change.createdAt, flaggedItemIds: flagged.map((f) => f.id) };
    });
  }

  async list(workspaceId: string, limit: number): Promise<ProductChangeRow[]> {
    return this.db.query(
      `SELECT pc.id, pc.kind, pc.title, pc.description, pc.product_areas AS "productAreas", pc.created_by AS "createdBy", pc.created_at AS "createdAt",
              pc.review_deadline AS "reviewDeadline", pc.review_closed_at AS "reviewClosedAt", pc.review_outcome AS "reviewOutcome",
              coalesce(array_agg(r.item_id) FILTER (WHERE r.id IS NOT NULL), '{}') AS "flaggedItemIds"
         FROM knowledge.product_changes pc
         LEFT JOIN knowledge.review_requests r ON r.product_change_id = pc.id
        WHERE pc.workspace_id = $1
        GROUP BY pc.id
        ORDER BY pc.created_at DESC LIMIT $2`,
      [workspaceId, limit],
    );
  }

  /** Items the change flagged whose review is still open. */
  async pendingReviews(workspaceId: string, productChangeId: string): Promise<string[]> {
    const [change] = await this.db.query(`SELECT id FROM knowledge.product_changes WHERE id = $1 AND workspace_id = $2`, [productChangeId, workspaceId]);
    if (!change) throw notFound('Product change', productChangeId);
    const rows: Array<{ itemId: string }> = await this.db.query(
      `SELECT item_id AS "itemId" FROM knowledge.review_requests WHERE product_change_id = $1 AND resolved_at IS NULL ORDER BY created_at`,
      [productChangeId],
    );
    return rows.map((r) => r.itemId);
  }

  /** Closes a review once; closing again changes nothing. */
  async closeReview(workspaceId: string, productChangeId: string, outcome: 'completed' | 'overdue', pendingItemIds: string[]): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const closed = rowsOf<{ id: string }>(
        await tx.query(
          `UPDATE knowledge.product_changes SET review_closed_at = now(), review_outcome = $3 WHERE id = $1 AND workspace_id = $2 AND review_closed_at IS NULL RETURNING id`,
          [productChangeId, workspaceId, outcome],
        ),
      );
      if (closed.length === 0) return false;
      await recordEvents(tx, [{ workspaceId, type: `product_change_review_${outcome}`, payload: { productChangeId, pendingItemIds, pending: pendingItemIds.length } }]);
      return true;
    });
  }
}
