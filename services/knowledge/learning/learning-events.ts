/**
 * The learning record: every change the loop makes (a learned answer, a new question variant, a threshold move,
 * a staleness flag, an approval) with what changed, why, which signal, who acted and who approved. Written in
 * the same transaction as the change; an admin can revert one.
 */
import type { EntityManager } from 'typeorm';

export type LearningEventKind =
  | 'learned_answer_created'
  | 'question_variant_added'
  | 'learned_answer_approved'
  | 'learned_answer_rejected'
  | 'threshold_moved'
  | 'stale_flagged';

export interface LearningEventInput {
  workspaceId: string;
  kind: LearningEventKind;
  itemId?: string | null;
  topic?: string | null;
  summary: string;
  signal: string;
  actor: string;
  approvedBy?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  idempotencyKey?: string | null;
}

export interface LearningEventRow {
  id: string;
  seq: string;
  workspaceId: string;
  kind: LearningEventKind;
  itemId: string | null;
  topic: string | null;
  summary: string;
  signal: string;
  actor: string;
  approvedBy: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  revertedAt: Date | null;
  revertedBy: string | null;
  createdAt: Date;
}

const COLUMNS = `id, seq, workspace_id AS "workspaceId", kind, item_id AS "itemId", topic, summary, signal, actor, approved_by AS "approvedBy",
  before, after, reverted_at AS "revertedAt", reverted_by AS "revertedBy", created_at AS "createdAt"`;

export async function recordLearningEvent(tx: EntityManager, event: LearningEventInput): Promise<string> {
  const [row] = await tx.query(
    `INSERT INTO knowledge.learning_events (workspace_id, kind, item_id, topic, summary, signal, actor, approved_by, before, after, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      event.workspaceId,
      event.kind,
      event.itemId ?? null,
      event.topic ?? null,
      event.summary,
      event.signal,
      event.actor,
      event.approvedBy ?? null,
      event.before ? JSON.stringify(event.before) : null,
      event.after ? JSON.stringify(event.after) : null,
      event.idempotencyKey ?? null,
    ],
  );
  return row.id as string;
}

export async function findByIdempotencyKey(tx: EntityManager, workspaceId: string, key: string): Promise<LearningEventRow | null> {
  const rows: LearningEventRow[] = await tx.query(`SELECT ${COLUMNS} FROM knowledge.learning_events WHERE workspace_id = $1 AND idempotency_key = $2`, [workspaceId, key]);
  return rows[0] ?? null;
}

export async function getLearningEvent(tx: EntityManager, workspaceId: string, id: string, lock = false): Promise<LearningEventRow | null> {
  const rows: LearningEventRow[] = await tx.query(
    `SELECT ${COLUMNS} FROM knowledge.learning_events WHERE workspace_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [workspaceId, id],
  );
  return rows[0] ?? null;
}

export async function listLearningEvents(
  tx: EntityManager,
  workspaceId: string,
  filter: { kind?: string; itemId?: string; beforeSeq?: string },
  limit: number,
): Promise<LearningEventRow[]> {
  return tx.query(
    `SELECT ${COLUMNS} FROM knowledge.learning_events
      WHERE workspace_id = $1
        AND ($2::text IS NULL OR kind = $2)
        AND ($3::uuid IS NULL OR item_id = $3)
        AND ($4::bigint IS NULL OR seq < $4)
      ORDER BY seq DESC LIMIT $5`,
    [workspaceId, filter.kind ?? null, filter.itemId ?? null, filter.beforeSeq ?? null, limit],
  );
}

export async function markReverted(tx: EntityManager, id: string, by: string): Promise<void> {
  await tx.query(`UPDATE knowledge.learning_events SET reverted_at = now(), reverted_by = $2 WHERE id = $1`, [id, by]);
}
