/**
 * Retrieval SQL. Two kinds of evidence find an item for a question: its passages (full-text rank over an OR of
 * the question's lexemes, plus trigram similarity), and the questions it is known to answer (question variants
 * learned from corrections, matched the same way). Only published items of the caller's workspace whose
 * audience includes the asker's plan are considered. Outcome evidence comes along for ranking.
 */
import { EVIDENCE_COLUMNS_SQL } from '../learning/item-evidence';

/**
 * The question's terms, without those in more than 5% of the workspace's passages (but always keeping its two
 * rarest), as an OR query. Common terms match nearly everything, cost the most to rank and tell least.
 */
const QUESTION_QUERY = `
  q AS (
    SELECT coalesce(to_tsquery('english', nullif(string_agg(quote_literal(lexeme), ' | '), '')), ''::tsquery) AS query
      FROM (
        -- Only terms some passage contains compete for "rarest": a word no passage has would match nothing.
        SELECT t.lexeme, s.passages AS df, row_number() OVER (ORDER BY s.passages, t.lexeme) AS rarity
          FROM (SELECT DISTINCT lexeme FROM unnest(tsvector_to_array(to_tsvector('english', $2))) AS lexeme) t
          JOIN knowledge.lexeme_stats s ON s.workspace_id = $1 AND s.lexeme = t.lexeme AND s.passages > 0
      ) terms
      LEFT JOIN knowledge.passage_totals total ON total.workspace_id = $1
     WHERE terms.df <= greatest(50, coalesce(total.passages, 0) * 0.05) OR terms.rarity <= 2
  ),
  -- Learned questions are short and few next to passages: every term of the question counts for them.
  q_all AS (
    SELECT coalesce(to_tsquery('english', nullif(string_agg(quote_literal(lexeme), ' | '), '')), ''::tsquery) AS query
      FROM unnest(tsvector_to_array(to_tsvector('english', $2))) AS lexeme
  )`;

/** Passages ranked are capped: a question of only common terms ranks a sample, never the whole corpus. */
const MAX_PASSAGES_RANKED = 3000;

/** $1 workspace, $2 question, $3 plan ('' = unknown), $4 per-kind candidate limit, $5 the asker's segments. */
export const RETRIEVE_CANDIDATES_SQL = `
  WITH ${QUESTION_QUERY},
  matching_passages AS (
    SELECT p.item_id, p.id, p.text, p.search_vector
      FROM knowledge.passages p CROSS JOIN q
     WHERE p.workspace_id = $1 AND p.search_vector @@ q.query
     LIMIT ${MAX_PASSAGES_RANKED}
  ),
  ranked_passages AS (
    -- Rare terms choose the passages; every term of the question ranks them, so scores keep their scale.
    SELECT m.item_id, m.id AS passage_id, m.text, ts_rank_cd(m.search_vector, q_all.query, 1 | 32) AS text_rank
      FROM matching_passages m CROSS JOIN q_all
     ORDER BY text_rank DESC
     LIMIT $4
  ),
  passage_hits AS (
    -- Trigram similarity is worth computing only for the few passages that made the cut.
    SELECT item_id, passage_id, text, (0.7 * text_rank * 2 + 0.3 * public.similarity(text, $2))::float8 AS relevance FROM ranked_passages
  ),
  variant_hits AS (
    SELECT v.item_id, v.text,
           (0.5 * ts_rank_cd(v.search_vector, q_all.query, 1 | 32) * 2 + 0.5 * public.similarity(v.text, $2))::float8 AS relevance
      FROM knowledge.question_variants v CROSS JOIN q_all
     WHERE v.workspace_id = $1
       AND (v.search_vector @@ q_all.query OR v.text OPERATOR(public.%) $2)
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
         bv.text AS "matchedQuestion", coalesce(bv.relevance, 0) AS "variantRelevance",${EVIDENCE_COLUMNS_SQL}
    FROM items
    JOIN knowledge.knowledge_items i ON i.id = items.item_id
    LEFT JOIN best_passage bp ON bp.item_id = i.id
    LEFT JOIN best_variant bv ON bv.item_id = i.id
    LEFT JOIN knowledge.item_stats s ON s.item_id = i.id
   WHERE i.workspace_id = $1
     AND i.status = 'published'
     AND (cardinality(i.audience_plans) = 0 OR $3 = ANY(i.audience_plans))
     AND (cardinality(i.audience_segments) = 0 OR i.audience_segments && $5::text[])`;

/** The first passage of an item, for items found only through a question variant. $1 item ids. */
export const FIRST_PASSAGES_SQL = `
  SELECT DISTINCT ON (item_id) item_id AS "itemId", id AS "passageId", text
    FROM knowledge.passages WHERE item_id = ANY($1::uuid[]) ORDER BY item_id, ordinal`;

/**
 * The items the intent model ranked, with the same columns as RETRIEVE_CANDIDATES_SQL: only published items the
 * asker may see; the passage shown is the item's passage closest to the question (trigram), else its first.
 * $1 workspace, $2 item ids, $3 plan, $4 segments, $5 question.
 */
export const INTENT_CANDIDATES_SQL = `
  SELECT i.id AS "knowledgeItemId", i.kind, i.title, i.topic, i.version AS "itemVersion", i.stale, i.body,
         p.id AS "passageId", p.text AS "passageText", 0::float8 AS "passageRelevance",
         NULL::text AS "matchedQuestion", 0::float8 AS "variantRelevance",${EVIDENCE_COLUMNS_SQL}
    FROM knowledge.knowledge_items i
    LEFT JOIN LATERAL (
      SELECT id, text FROM knowledge.passages
       WHERE item_id = i.id
       ORDER BY public.similarity(text, $5) DESC, ordinal
       LIMIT 1
    ) p ON true
    LEFT JOIN knowledge.item_stats s ON s.item_id = i.id
   WHERE i.workspace_id = $1
     AND i.id = ANY($2::uuid[])
     AND i.status = 'published'
     AND (cardinality(i.audience_plans) = 0 OR $3 = ANY(i.audience_plans))
     AND (cardinality(i.audience_segments) = 0 OR i.audience_segments && $4::text[])`;
