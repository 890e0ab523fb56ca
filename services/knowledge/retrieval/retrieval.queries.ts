/**
 * Retrieval SQL. Two kinds of evidence find an item for a question: its passages and its article's title (found
 * by full-text index scans, scored with BM25 in ranking.ts from the term statistics returned here), and the
 * questions it is known to answer (question variants learned from corrections, matched by full-text rank and
 * trigram similarity). Only published items of the caller's workspace whose audience includes the asker's plan
 * are considered. Outcome evidence comes along for ranking.
 */
import { CONTEXT_EVIDENCE_COLUMNS_SQL, EVIDENCE_COLUMNS_SQL, contextEvidenceJoin } from '../learning/item-evidence';

/**
 * A learned answer scoped by its correction (learned-answer.service.ts) is served only in that context: to askers
 * on one of its plans, and from pages in all of its product areas (its area and the pages under it).
 */
function inScope(item: string, plan: string, pageAreas: string): string {
  return `(cardinality(${item}.scope_plans) = 0 OR ${plan} = ANY(${item}.scope_plans)) AND ${item}.scope_areas <@ ${pageAreas}::text[]`;
}

/**
 * The items an asker may be answered from (`item` the alias, the rest parameter placeholders): published, for their
 * plan and segments, in the locale asked (NULL: any), and scoped where they ask from.
 */
function answerableBy(item: string, asker: { plan: string; segments: string; locale: string; pageAreas: string }): string {
  return `${item}.status = 'published'
     AND (cardinality(${item}.audience_plans) = 0 OR ${asker.plan} = ANY(${item}.audience_plans))
     AND (cardinality(${item}.audience_segments) = 0 OR ${item}.audience_segments && ${asker.segments}::text[])
     AND (${asker.locale}::text IS NULL OR ${item}.locale = ${asker.locale})
     AND ${inScope(item, asker.plan, asker.pageAreas)}`;
}

/**
 * The question's distinct lexemes (sorted: the term arrays below follow this order) with how many of the
 * workspace's passages hold each, and the workspace's passage count and summed passage length: what BM25 needs.
 */
const QUESTION_TERMS = `
  terms AS (
    SELECT t.lexeme, coalesce(s.passages, 0) AS df
      FROM (SELECT DISTINCT lexeme FROM unnest(tsvector_to_array(to_tsvector('english', $2))) AS lexeme) t
      LEFT JOIN knowledge.lexeme_stats s ON s.workspace_id = $1 AND s.lexeme = t.lexeme
  ),
  totals AS (
    SELECT coalesce(max(passages), 0) AS passages, coalesce(max(lexemes), 0) AS lexemes FROM knowledge.passage_totals WHERE workspace_id = $1
  ),
  -- Passages are found by the question's terms except those in more than 5% of them (always keeping its two
  -- rarest): common terms match nearly everything, cost the most to rank and tell least.
  q AS (
    SELECT coalesce(to_tsquery('english', nullif(string_agg(quote_literal(r.lexeme), ' | '), '')), ''::tsquery) AS query
      FROM (SELECT lexeme, df, row_number() OVER (ORDER BY df, lexeme) AS rarity FROM terms WHERE df > 0) r CROSS JOIN totals
     WHERE r.df <= greatest(50, totals.passages * 0.05) OR r.rarity <= 2
  ),
  -- Titles and learned questions are short: every term of the question counts for them.
  q_all AS (
    SELECT coalesce(to_tsquery('english', nullif(string_agg(quote_literal(lexeme), ' | '), '')), ''::tsquery) AS query FROM terms
  )`;

/** An item is sensitive when an admin marked it, or its topic. */
const SENSITIVE = `(i.sensitive OR (i.topic <> '' AND EXISTS (
    SELECT 1 FROM knowledge.sensitive_topics st WHERE st.workspace_id = i.workspace_id AND st.topic = i.topic))) AS sensitive`;

/** Passages matched are capped before ranking: a question of only common terms ranks a sample, never the corpus. */
const MAX_PASSAGES_MATCHED = 3000;
/** Passages scored exactly (BM25, in ranking.ts): the best of the matched by Postgres's cover density rank. */
const MAX_PASSAGES_SCORED = 200;
const MAX_VARIANTS_MATCHED = 1000;

/**
 * Candidates for a question, one row per passage scored, with what BM25 needs: the term frequencies of the
 * question's terms (in `terms` order) in the passage and in its article's title, the passage length, the terms'
 * passage counts and the workspace's totals; and per item the best learned-question match. Three index scans,
 * each with its own limit: passages by their terms, article titles by theirs, learned questions by their terms
 * and, separately, by trigram similarity.
 * $1 workspace, $2 question, $3 plan ('' = unknown), $4 per-kind candidate limit, $5 the asker's segments,
 * $6 the asker's locale (NULL = any), $7 whether to match learned questions (false once the intent model speaks),
 * $8 the page's product areas, $9 the asker's context keys (for the evidence in their context).
 */
export const RETRIEVE_CANDIDATES_SQL = `
  WITH ${QUESTION_TERMS},
  matching_passages AS (
    SELECT p.id, p.item_id, p.search_vector
      FROM knowledge.passages p CROSS JOIN q
     WHERE p.workspace_id = $1 AND p.search_vector @@ q.query
     LIMIT ${MAX_PASSAGES_MATCHED}
  ),
  ranked_passages AS (
    SELECT m.id FROM matching_passages m CROSS JOIN q_all
     ORDER BY ts_rank_cd(m.search_vector, q_all.query, 1 | 32) DESC
     LIMIT ${MAX_PASSAGES_SCORED}
  ),
  title_matches AS (
    SELECT i.id FROM knowledge.knowledge_items i CROSS JOIN q_all
     WHERE i.workspace_id = $1 AND i.kind = 'article' AND i.title_vector @@ q_all.query
     ORDER BY ts_rank(i.title_vector, q_all.query) DESC
     LIMIT $4
  ),
  scored_passages AS (
    SELECT id FROM ranked_passages
    UNION
    SELECT p.id FROM title_matches t JOIN knowledge.passages p ON p.item_id = t.id
  ),
  -- Only while the workspace's intent model is not loaded ($7): once it is, it owns the learned questions.
  variant_matches AS (
    (SELECT v.id FROM knowledge.question_variants v CROSS JOIN q_all
      WHERE $7 AND v.workspace_id = $1 AND v.search_vector @@ q_all.query
      LIMIT ${MAX_VARIANTS_MATCHED})
    UNION
    (SELECT v.id FROM knowledge.question_variants v
      WHERE $7 AND v.workspace_id = $1 AND v.text OPERATOR(public.%) $2
      LIMIT ${MAX_VARIANTS_MATCHED})
  ),
  variant_hits AS (
    SELECT v.item_id, v.text,
           (0.5 * ts_rank_cd(v.search_vector, q_all.query, 1 | 32) * 2 + 0.5 * public.similarity(v.text, $2))::float8 AS relevance
      FROM variant_matches m JOIN knowledge.question_variants v ON v.id = m.id CROSS JOIN q_all
     ORDER BY relevance DESC
     LIMIT $4
  ),
  best_variant AS (
    SELECT DISTINCT ON (item_id) item_id, text, relevance FROM variant_hits ORDER BY item_id, relevance DESC
  ),
  -- Materialized: inlined, the planner (which expects a dozen scored passages, not hundreds) re-reads every scored
  -- passage once per item of the workspace.
  candidates AS MATERIALIZED (
    SELECT p.item_id, p.id AS passage_id, p.text, p.search_vector FROM scored_passages s JOIN knowledge.passages p ON p.id = s.id
    UNION ALL
    -- Items found only through a learned question: no passage scored (their first passage is fetched to cite).
    SELECT b.item_id, NULL, NULL, NULL FROM best_variant b
     WHERE NOT EXISTS (SELECT 1 FROM scored_passages s JOIN knowledge.passages p ON p.id = s.id WHERE p.item_id = b.item_id)
  )
  SELECT i.id AS "knowledgeItemId", i.kind, i.title, i.topic, i.version AS "itemVersion", i.stale, ${SENSITIVE},
         c.passage_id AS "passageId", md5(c.text) AS "passageDigest",
         coalesce(length(c.search_vector), 0) AS "passageLength",
         -- The passage's vector cut down to the question's terms first (passage vectors are all weight D: the terms
         -- marked A are kept), so only those are unnested rather than its fifty-odd lexemes.
         ARRAY(SELECT coalesce(array_length(u.positions, 1), CASE WHEN u.lexeme IS NULL THEN 0 ELSE 1 END)
                 FROM terms t
                 LEFT JOIN unnest(ts_filter(setweight(c.search_vector, 'A', (SELECT array_agg(lexeme) FROM terms)), '{a}')) u ON u.lexeme = t.lexeme
                ORDER BY t.lexeme) AS "passageTf",
         ARRAY(SELECT CASE WHEN i.kind <> 'article' THEN 0 ELSE coalesce(array_length(u.positions, 1), CASE WHEN u.lexeme IS NULL THEN 0 ELSE 1 END) END
                 FROM terms t LEFT JOIN unnest(i.title_vector) u ON u.lexeme = t.lexeme ORDER BY t.lexeme) AS "titleTf",
         CASE WHEN i.kind = 'article' THEN public.similarity(i.title, $2) ELSE 0 END::float8 AS "titleSimilarity",
         ARRAY(SELECT df FROM terms ORDER BY lexeme) AS "termPassages",
         totals.passages AS "totalPassages", totals.lexemes AS "totalLength",
         bv.text AS "matchedQuestion", coalesce(bv.relevance, 0) AS "variantRelevance",${EVIDENCE_COLUMNS_SQL},${CONTEXT_EVIDENCE_COLUMNS_SQL}
    FROM candidates c
    -- One key lookup per candidate (LIMIT 1 keeps the planner from turning it into a scan of the workspace's items).
    JOIN LATERAL (SELECT * FROM knowledge.knowledge_items WHERE id = c.item_id LIMIT 1) i ON true
    CROSS JOIN totals
    LEFT JOIN best_variant bv ON bv.item_id = i.id
    LEFT JOIN LATERAL (SELECT * FROM knowledge.item_stats WHERE item_id = c.item_id LIMIT 1) s ON true
    ${contextEvidenceJoin('c.item_id', '$9')}
   WHERE i.workspace_id = $1
     AND ${answerableBy('i', { plan: '$3', segments: '$5', locale: '$6', pageAreas: '$8' })}`;

/** The first passage of an item, for items found only through a question variant. $1 item ids. */
export const FIRST_PASSAGES_SQL = `
  SELECT DISTINCT ON (item_id) item_id AS "itemId", id AS "passageId", text, md5(text) AS digest
    FROM knowledge.passages WHERE item_id = ANY($1::uuid[]) ORDER BY item_id, ordinal`;

/** The text of passages, for the candidates retrieval returns (it ranks by digests: texts are long). $1 passage ids. */
export const PASSAGE_TEXTS_SQL = `SELECT id, text FROM knowledge.passages WHERE id = ANY($1::uuid[])`;

/**
 * The items the intent model ranked, with the same columns as RETRIEVE_CANDIDATES_SQL: only published items the
 * asker may see; the passage shown is the item's passage closest to the question (trigram), else its first.
 * $1 workspace, $2 item ids, $3 plan, $4 segments, $5 question, $6 locale (NULL = any), $7 the page's product
 * areas, $8 the asker's context keys.
 */
export const INTENT_CANDIDATES_SQL = `
  SELECT i.id AS "knowledgeItemId", i.kind, i.title, i.topic, i.version AS "itemVersion", i.stale, ${SENSITIVE},
         p.id AS "passageId", p.text AS "passageText", md5(p.text) AS "passageDigest", 0::float8 AS "passageRelevance",
         NULL::text AS "matchedQuestion", 0::float8 AS "variantRelevance",${EVIDENCE_COLUMNS_SQL},${CONTEXT_EVIDENCE_COLUMNS_SQL}
    FROM knowledge.knowledge_items i
    LEFT JOIN LATERAL (
      SELECT id, text FROM knowledge.passages
       WHERE item_id = i.id
       ORDER BY public.similarity(text, $5) DESC, ordinal
       LIMIT 1
    ) p ON true
    LEFT JOIN knowledge.item_stats s ON s.item_id = i.id
    ${contextEvidenceJoin('i.id', '$8')}
   WHERE i.workspace_id = $1
     AND i.id = ANY($2::uuid[])
     AND ${answerableBy('i', { plan: '$3', segments: '$4', locale: '$6', pageAreas: '$7' })}`;

/** The locales a workspace has published knowledge in, most items first. $1 workspace. */
export const PUBLISHED_LOCALES_SQL = `
  SELECT locale FROM knowledge.knowledge_items WHERE workspace_id = $1 AND status = 'published' GROUP BY locale ORDER BY count(*) DESC, locale`;

/**
 * For the rest of the transaction: pg_trgm's `%` matches from similarity $1 (its trigram index prunes by it), and
 * the trigram index is used. The planner prices a scan that computes the similarity of every question of the
 * workspace below the index scan (it does not know what a similarity costs): 15-60 ms at 2,000 taught questions
 * against under 1 ms through the index at a floor of 0.8.
 */
export const TRIGRAM_FLOOR_SQL = `SELECT set_config('pg_trgm.similarity_threshold', $1::float8::text, true), set_config('enable_seqscan', 'off', true)`;

/**
 * The items whose taught questions (learned from corrections and corroborated customers) come nearest a question,
 * by trigram similarity, credited to the answer that superseded theirs if any; only questions of published items,
 * or of items a published answer superseded, and only of answers served in the asker's context (inScope). Nearest
 * first, two items: the nearest and its rival. Only questions at least pg_trgm.similarity_threshold near
 * (TRIGRAM_FLOOR_SQL) are found.
 * $1 workspace, $2 question, $3 plan, $4 the page's product areas.
 */
export const NEAREST_TAUGHT_SQL = `
  SELECT "itemId", text, similarity FROM (
    SELECT DISTINCT ON (coalesce(s.id, v.item_id)) coalesce(s.id, v.item_id) AS "itemId", v.text, public.similarity(v.text, $2)::float8 AS similarity
      FROM (SELECT id FROM knowledge.question_variants WHERE workspace_id = $1 AND text OPERATOR(public.%) $2 LIMIT ${MAX_VARIANTS_MATCHED}) m
      JOIN knowledge.question_variants v ON v.id = m.id
      JOIN knowledge.knowledge_items i ON i.id = v.item_id
      LEFT JOIN knowledge.knowledge_items s ON s.id = i.superseded_by AND s.status = 'published'
     WHERE (i.status = 'published' AND s.id IS NULL AND ${inScope('i', '$3', '$4')}) OR (s.id IS NOT NULL AND ${inScope('s', '$3', '$4')})
     ORDER BY coalesce(s.id, v.item_id), similarity DESC
  ) nearest
  ORDER BY similarity DESC, "itemId"
  LIMIT 2`;
