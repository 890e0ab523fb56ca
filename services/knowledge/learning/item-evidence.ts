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

/**
 * The item's evidence in the asker's context (alias `cs`, joined by CONTEXT_EVIDENCE_JOIN): the verdicts given in
 * any of the context's buckets, summed, praise held back as above. Ranking shrinks it toward the item's overall
 * evidence (ranking.ts), so a bucket with a verdict or two barely moves it.
 */
export const CONTEXT_EVIDENCE_COLUMNS_SQL = `
         greatest(coalesce(cs.good, 0) - ${UNCORROBORATED_PRAISE}, 0) AS "contextGood",
         coalesce(cs.bad, 0) AS "contextBad"`;

/** The join behind CONTEXT_EVIDENCE_COLUMNS_SQL: `item` is the item id's column, `keys` the parameter holding the context's keys. */
export function contextEvidenceJoin(item: string, keys: string): string {
  return `LEFT JOIN LATERAL (SELECT sum(good) AS good, sum(bad) AS bad FROM knowledge.item_context_stats
                             WHERE item_id = ${item} AND context_key = ANY(${keys}::text[])) cs ON true`;
}

/**
 * `factor` is the signal's own weight (learning-trust.ts signalWeight): an implicit signal counts less.
 * `contextKeys`: the buckets the answer was given in (asker-buckets.ts); the verdict counts in each of them too.
 * Anonymous visitors' verdicts stay out of the buckets: a bucket is small, and a visitor costs an attacker nothing.
 */
export async function weighVerdict(
  tx: EntityManager,
  workspaceId: string,
  itemId: string,
  correct: boolean,
  source: OutcomeSource | null,
  factor = 1,
  contextKeys: readonly string[] = [],
): Promise<void> {
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
  if (contextKeys.length === 0 || source?.kind === 'visitor') return;
  // A changed verdict moves its weight from one side to the other; it never takes a bucket below zero.
  await tx.query(
    `INSERT INTO knowledge.item_context_stats (item_id, context_key, workspace_id, good, bad)
     SELECT $1, key, $2, greatest($4::real, 0), greatest($5::real, 0) FROM unnest($3::text[]) AS key
     ON CONFLICT (item_id, context_key) DO UPDATE SET
       good = greatest(knowledge.item_context_stats.good + $4::real, 0),
       bad = greatest(knowledge.item_context_stats.bad + $5::real, 0),
       updated_at = now()`,
    [itemId, workspaceId, [...new Set(contextKeys)], good, bad],
  );
}
