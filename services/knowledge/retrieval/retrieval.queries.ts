/**
 * Retrieval SQL. Two kinds of evidence find an item for a question: its passages and its article's title (ranked
 * in this process by the passage index, passage-index.ts), and the questions it is known to answer (question
 * variants learned from corrections, matched by full-text rank and trigram similarity). Only published items of the
 * caller's workspace whose audience includes the asker's plan are considered. Outcome evidence comes along for
 * ranking.
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

/** An item is sensitive when an admin marked it, or its topic. */
const SENSITIVE = `(i.sensitive OR (i.topic <> '' AND EXISTS (
    SELECT 1 FROM knowledge.sensitive_topics st WHERE st.workspace_id = i.workspace_id AND st.topic = i.topic))) AS sensitive`;

/** The most taught questions one lookup considers (a question of common words can be near many). */
export const MAX_VARIANTS_MATCHED = 1000;

/**
 * The items of `$2` that the asker may be answered from, with what ranking weighs besides the text: staleness,
 * sensitivity and outcome evidence; `passage` adds a passage's columns and the join that finds it.
 * $1 workspace, $2 item ids, $3 plan ('' = unknown), $4 the asker's segments, $5 the asker's locale (NULL = any),
 * $6 the page's product areas, $7 the asker's context keys (for the evidence in their context).
 */
function answerableItemsSql(passage?: { columns: string; join: string }): string {
  return `
  SELECT i.id AS "knowledgeItemId", i.kind, i.title, i.topic, i.version AS "itemVersion", i.stale, ${SENSITIVE},${passage?.columns ?? ''}${EVIDENCE_COLUMNS_SQL},${CONTEXT_EVIDENCE_COLUMNS_SQL}
    FROM knowledge.knowledge_items i${passage?.join ?? ''}
    LEFT JOIN knowledge.item_stats s ON s.item_id = i.id
    ${contextEvidenceJoin('i.id', '$7')}
   WHERE i.workspace_id = $1
     AND i.id = ANY($2::uuid[])
     AND ${answerableBy('i', { plan: '$3', segments: '$4', locale: '$5', pageAreas: '$6' })}`;
}

/** Those of the items the passage index ranked, and those a learned question matched: answerableItemsSql's parameters. */
export const ANSWERABLE_ITEMS_SQL = answerableItemsSql();

/**
 * While the workspace's intent model is not loaded (once it is, it owns the learned questions): the items whose
 * learned questions match the question best, by full-text rank and trigram similarity, each by its best question.
 * Two index scans, each with its own limit. $1 workspace, $2 question, $3 its lexemes, $4 how many questions.
 */
export const VARIANT_MATCHES_SQL = `
  WITH q_all AS (
    SELECT coalesce(to_tsquery('english', nullif(string_agg(quote_literal(lexeme), ' | '), '')), ''::tsquery) AS query FROM unnest($3::text[]) AS lexeme
  ),
  variant_matches AS (
    (SELECT v.id FROM knowledge.question_variants v CROSS JOIN q_all
      WHERE v.workspace_id = $1 AND v.search_vector @@ q_all.query
      LIMIT ${MAX_VARIANTS_MATCHED})
    UNION
    (SELECT v.id FROM knowledge.question_variants v
      WHERE v.workspace_id = $1 AND v.text OPERATOR(public.%) $2
      LIMIT ${MAX_VARIANTS_MATCHED})
  ),
  variant_hits AS (
    SELECT v.item_id, v.text,
           (0.5 * ts_rank_cd(v.search_vector, q_all.query, 1 | 32) * 2 + 0.5 * public.similarity(v.text, $2))::float8 AS relevance
      FROM variant_matches m JOIN knowledge.question_variants v ON v.id = m.id CROSS JOIN q_all
     ORDER BY relevance DESC
     LIMIT $4
  )
  SELECT DISTINCT ON (item_id) item_id AS "itemId", text, relevance FROM variant_hits ORDER BY item_id, relevance DESC`;

/** The first passage of an item, for items found only through a question variant. $1 item ids. */
export const FIRST_PASSAGES_SQL = `
  SELECT DISTINCT ON (item_id) item_id AS "itemId", id AS "passageId", text, md5(text) AS digest
    FROM knowledge.passages WHERE item_id = ANY($1::uuid[]) ORDER BY item_id, ordinal`;

/** The text of passages, for the candidates retrieval returns (it ranks by digests: texts are long). $1 passage ids. */
export const PASSAGE_TEXTS_SQL = `SELECT id, text FROM knowledge.passages WHERE id = ANY($1::uuid[])`;

/**
 * The items the intent model ranked, with ANSWERABLE_ITEMS_SQL's columns and parameters ($1-$7), and a passage: the
 * item's passage closest to the question ($8, by trigram similarity), else its first.
 */
export const INTENT_CANDIDATES_SQL = answerableItemsSql({
  columns: `
         p.id AS "passageId", p.text AS "passageText", md5(p.text) AS "passageDigest", 0::float8 AS "passageRelevance",
         NULL::text AS "matchedQuestion", 0::float8 AS "variantRelevance",`,
  join: `
    LEFT JOIN LATERAL (
      SELECT id, text FROM knowledge.passages
       WHERE item_id = i.id
       ORDER BY public.similarity(text, $8) DESC, ordinal
       LIMIT 1
    ) p ON true`,
});

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
 * first, two items: the nearest and its rival. Of the questions `matched` selects (ids).
 * $1 workspace, $2 question, $3 plan, $4 the page's product areas.
 */
const nearestTaughtSql = (matched: string) => `
  SELECT "itemId", text, similarity FROM (
    SELECT DISTINCT ON (coalesce(s.id, v.item_id)) coalesce(s.id, v.item_id) AS "itemId", v.text, public.similarity(v.text, $2)::float8 AS similarity
      FROM (${matched}) m
      JOIN knowledge.question_variants v ON v.id = m.id
      JOIN knowledge.knowledge_items i ON i.id = v.item_id
      LEFT JOIN knowledge.knowledge_items s ON s.id = i.superseded_by AND s.status = 'published'
     WHERE (i.status = 'published' AND s.id IS NULL AND ${inScope('i', '$3', '$4')}) OR (s.id IS NOT NULL AND ${inScope('s', '$3', '$4')})
     ORDER BY coalesce(s.id, v.item_id), similarity DESC
  ) nearest
  ORDER BY similarity DESC, "itemId"
  LIMIT 2`;

/**
 * NEAREST_TAUGHT among the workspace's questions at least pg_trgm.similarity_threshold near (TRIGRAM_FLOOR_SQL), as
 * pg_trgm's index finds them: while the workspace's intent model is not loaded.
 */
export const NEAREST_TAUGHT_SQL = nearestTaughtSql(
  `SELECT id FROM knowledge.question_variants WHERE workspace_id = $1 AND text OPERATOR(public.%) $2 LIMIT ${MAX_VARIANTS_MATCHED}`,
);

/**
 * NEAREST_TAUGHT among the questions the intent model found near ($5, variant ids), those of them still at least
 * $6 near by Postgres's own similarity (pg_trgm's `%` at that threshold).
 */
export const NEAREST_TAUGHT_AMONG_SQL = nearestTaughtSql(
  `SELECT id FROM knowledge.question_variants WHERE workspace_id = $1 AND id = ANY($5::uuid[]) AND public.similarity(text, $2)::float8 >= $6::float8`,
);
