/**
 * Retrieval SQL. Two kinds of evidence find an item for a question: its passages (full-text rank over an OR of
 * the question's lexemes, plus trigram similarity), and the questions it is known to answer (question variants
 * learned from corrections, matched the same way). Only published items of the caller's workspace whose
 * audience includes the asker's plan are considered. Outcome statistics come along for ranking.
 */

/** $1 workspace, $2 question, $3 plan ('' = unknown), $4 per-kind candidate limit. */
export const RETRIEVE_CANDIDATES_SQL = `
  WITH q AS (
    SELECT to_tsquery('english', coalesce(nullif(
             (SELECT string_agg(quote_literal(lexeme), ' | ') FROM unnest(tsvector_to_array(to_tsvector('english', $2))) AS lexeme),
             ''), quote_literal(''))) AS query
  ),
  passage_hits AS (
    SELECT p.item_id, p.id AS passage_id, p.text,
           (0.7 * ts_rank_cd(p.search_vector, q.query, 1 | 32) * 2 + 0.3 * public.similarity(p.text, $2))::float8 AS relevance
      FROM knowledge.passages p CROSS JOIN q
     WHERE p.workspace_id = $1
       AND (p.search_vector @@ q.query OR p.text OPERATOR(public.%) $2)
     ORDER BY relevance DESC
     LIMIT $4
  ),
  variant_hits AS (
    SELECT v.item_id, v.text,
           (0.5 * ts_rank_cd(v.search_vector, q.query, 1 | 32) * 2 + 0.5 * public.similarity(v.text, $2))::float8 AS relevance
      FROM knowledge.question_variants v CROSS JOIN q
     WHERE v.workspace_id = $1
       AND (v.search_vector @@ q.query OR v.text OPERATOR(public.%) $2)
     ORDER BY relevance DESC
     LIMIT $4
  ),
  best_variant AS (
    SELECT DISTINCT ON (item_id) item_id, text, relevance FROM variant_hits ORDER BY item_id, relevance DESC
  ),
  best_passage AS (
    SELECT DISTINCT ON (item_id) item_id, passage_id, text, relevance FROM passage_hits ORDER BY item_id, relevance DESC
  ),
  items AS (
    SELECT item_id FROM best_passage UNION SELECT item_id FROM best_variant
  )
  SELECT i.id AS "knowledgeItemId", i.kind, i.title, i.topic, i.version AS "itemVersion", i.stale, i.body,
         bp.passage_id AS "passageId", bp.text AS "passageText", coalesce(bp.relevance, 0) AS "passageRelevance",
         bv.text AS "matchedQuestion", coalesce(bv.relevance, 0) AS "variantRelevance",
         coalesce(s.resolved, 0) + coalesce(s.rated_up, 0) AS good,
         coalesce(s.rated_down, 0) + coalesce(s.escalated_after, 0) + coalesce(s.corrected, 0) + coalesce(s.repeat_contact_after, 0) AS bad
    FROM items
    JOIN knowledge.knowledge_items i ON i.id = items.item_id
    LEFT JOIN best_passage bp ON bp.item_id = i.id
    LEFT JOIN best_variant bv ON bv.item_id = i.id
    LEFT JOIN knowledge.item_stats s ON s.item_id = i.id
   WHERE i.workspace_id = $1
     AND i.status = 'published'
     AND (cardinality(i.audience_plans) = 0 OR $3 = ANY(i.audience_plans))`;

/** The first passage of an item, for items found only through a question variant. $1 item ids. */
export const FIRST_PASSAGES_SQL = `
  SELECT DISTINCT ON (item_id) item_id AS "itemId", id AS "passageId", text
    FROM knowledge.passages WHERE item_id = ANY($1::uuid[]) ORDER BY item_id, ordinal`;
