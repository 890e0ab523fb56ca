/**
 * The evidence ranking reads about an item (item_stats.evidence_* and visitor_*), kept by the learning-trust
 * rule: an agent's signal adds its weight; a customer's or visitor's verdict replaces their previous one on the
 * same item, so each counts once however often they repeat it. Callers hold the item's item_stats row lock
 * (they have just updated its counters), which serialises verdicts on one item.
 */
import type { EntityManager } from 'typeorm';
import { rowsOf } from '../../shared/sql-rows';
import { OutcomeSource, SOURCE_WEIGHT, UNCORROBORATED_PRAISE, VISITOR_POOL_CAP, voterKey } from './learning-trust';

/**
 * The good and bad evidence of an item as ranking reads it (alias `s` for knowledge.item_stats). Praise must be
 * corroborated: the first UNCORROBORATED_PRAISE customers' worth of good evidence lifts nothing, so one or two
 * accounts cannot make a wrong answer confident, and anonymous visitors' praise is recorded but never lifts
 * (a visitor costs an attacker nothing). Complaints count at once, visitors' pooled: sinking an item only
 * means more hand-offs.
 */
export const EVIDENCE_COLUMNS_SQL = `
         greatest(coalesce(s.evidence_good, 0) - ${UNCORROBORATED_PRAISE}, 0) AS good,
         coalesce(s.evidence_bad, 0) + least(coalesce(s.visitor_bad, 0), ${VISITOR_POOL_CAP}) AS bad`;

/** `factor` is the signal's own weight (learning-trust.ts signalWeight): an implicit signal counts less. */
export async function weighVerdict(tx: EntityManager, workspaceId: string, itemId: string, correct: boolean, source: OutcomeSource | null, factor = 1): Promise<void> {
  const weight = (source ? SOURCE_WEIGHT[source.kind] : 1) * factor;
  const voter = source ? voterKey(source) : null;
  let good = correct ? weight : 0;
  let bad = correct ? 0 : weight;
  if (voter !== null) {
    const [previous] = rowsOf<{ correct: boolean; weight: number }>(
      await tx.query(`SELECT correct, weight FROM knowledge.item_verdicts WHERE item_id = $1 AND voter = $2`, [itemId, voter]),
    );
    if (previous) {
      good -= previous.correct ? Number(previous.weight) : 0;
      bad -= previous.correct ? 0 : Number(previous.weight);
    }
    await tx.query(
      `INSERT INTO knowledge.item_verdicts (item_id, voter, workspace_id, correct, weight) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (item_id, voter) DO UPDATE SET correct = $4, weight = $5, updated_at = now()`,
      [itemId, voter, workspaceId, correct, weight],
    );
  }
  if (good === 0 && bad === 0) return;
  const [goodColumn, badColumn] = source?.kind === 'visitor' ? ['visitor_good', 'visitor_bad'] : ['evidence_good', 'evidence_bad'];
  await tx.query(`UPDATE knowledge.item_stats SET ${goodColumn} = ${goodColumn} + $2, ${badColumn} = ${badColumn} + $3 WHERE item_id = $1`, [itemId, good, bad]);
}
