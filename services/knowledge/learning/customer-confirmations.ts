/**
 * Questions signed-in customers confirmed an item answers, waiting for corroboration: a question is learned
 * only once CORROBORATING_CUSTOMERS distinct customers have confirmed the same item for questions like it
 * within the window (learning-trust.ts). Anonymous visitors never get here.
 */
import type { EntityManager } from 'typeorm';
import { rowsOf } from '../../shared/sql-rows';
import { CORROBORATION_SIMILARITY, CORROBORATION_WINDOW_DAYS } from './learning-trust';

/** Records the confirmation; returns how many distinct customers (this one included) now confirm the item for similar questions. */
export async function recordConfirmation(tx: EntityManager, workspaceId: string, itemId: string, customerId: string, question: string): Promise<number> {
  await tx.query(
    `INSERT INTO knowledge.customer_confirmations (workspace_id, item_id, customer_id, question) VALUES ($1, $2, $3, $4)
     ON CONFLICT (item_id, customer_id, question) DO UPDATE SET created_at = now()`,
    [workspaceId, itemId, customerId, question],
  );
  const [row] = rowsOf<{ customers: number }>(await tx.query(
    `SELECT count(DISTINCT customer_id)::int AS customers FROM knowledge.customer_confirmations
      WHERE workspace_id = $1 AND item_id = $2 AND created_at > now() - make_interval(days => $4)
        AND (question = $3 OR public.similarity(question, $3) >= $5)`,
    [workspaceId, itemId, question, CORROBORATION_WINDOW_DAYS, CORROBORATION_SIMILARITY],
  ));
  return row?.customers ?? 0;
}
