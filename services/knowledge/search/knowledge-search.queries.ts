/**
 * Knowledge search SQL: the agents' list and full-text search over articles and learned answers, of any status.
 * Every filter is a bound parameter that is NULL when unused; paging is keyset (a cursor is the last row's sort key),
 * so a page never skips or repeats rows while nothing changes.
 *
 * Search finds an item by three index scans, each capped: its title (full-text), its passages (full-text) and the
 * questions it is known to answer (full-text and trigram, so a learned answer is found by a paraphrase of the question
 * it was taught). Every term of the query counts (OR): an agent types a customer's words, not the article's.
 */
import { sortKeyText } from '../../shared/keyset-cursor';

/** Filters shared by list and search. $1 workspace, $2 kind, $3 topic, $4 status, $5 stale, $6 locale. */
const FILTERS = `
      i.workspace_id = $1
  AND ($2::text IS NULL OR i.kind = $2)
  AND ($3::text IS NULL OR i.topic = $3)
  AND ($4::text IS NULL OR i.status = $4)
  AND ($5::boolean IS NULL OR i.stale = $5)
  AND ($6::text IS NULL OR i.locale = $6)`;

/**
 * Newest change first. The cursor is the last row's (updated_at as text, so no microseconds are lost, id).
 * $7 cursor time (NULL for the first page), $8 cursor id, $9 page size.
 */
export const LIST_KNOWLEDGE_SQL = `
  SELECT i.id, ${sortKeyText('i.updated_at')} AS "sortKey"
    FROM knowledge.knowledge_items i
   WHERE ${FILTERS}
     AND ($7::timestamptz IS NULL OR (i.updated_at, i.id) < ($7::timestamptz, $8::uuid))
   ORDER BY i.updated_at DESC, i.id DESC
   LIMIT $9`;

const MATCHED_PER_KIND = 2000;

/**
 * Best match first. Each piece of evidence is the share of the query's information it holds: the summed idf of the
 * query terms it contains over the summed idf of all of them (idf from the workspace's passage statistics, so "card"
 * in a bank's help centre counts little and "PIN" a lot). The score adds the title's share (twice: a title is the
 * strongest sign an agent's words name the item) and its trigram similarity to the query, the best passage's share
 * and the best learned question's (the larger of its share and its trigram similarity). The cursor is the last row's
 * (score, id). $7 query, $8 cursor score (NULL for the first page), $9 cursor id, $10 page size.
 */
export const SEARCH_KNOWLEDGE_SQL = `
  WITH totals AS (
    SELECT coalesce(max(passages), 0) AS passages FROM knowledge.passage_totals WHERE workspace_id = $1
  ),
  terms AS (
    SELECT t.lexeme, ln(1 + (totals.passages - least(coalesce(s.passages, 0), totals.passages) + 0.5) / (least(coalesce(s.passages, 0), totals.passages) + 0.5)) AS idf
      FROM (SELECT DISTINCT lexeme FROM unnest(tsvector_to_array(to_tsvector('english', $7))) AS lexeme) t
      CROSS JOIN totals
      LEFT JOIN knowledge.lexeme_stats s ON s.workspace_id = $1 AND s.lexeme = t.lexeme
  ),
  q AS (
    SELECT coalesce(to_tsquery('english', nullif(string_agg(quote_literal(lexeme), ' | '), '')), ''::tsquery) AS query,
           coalesce(array_agg(lexeme), '{}') AS lexemes, greatest(coalesce(sum(idf), 0), 1e-9) AS information
      FROM terms
  ),
  title_hits AS (
    SELECT i.id AS item_id FROM knowledge.knowledge_items i CROSS JOIN q
     WHERE i.workspace_id = $1 AND i.title_vector @@ q.query
     LIMIT ${MATCHED_PER_KIND}
  ),
  passage_hits AS (
    SELECT m.item_id, max((SELECT coalesce(sum(t.idf), 0) FROM terms t WHERE t.lexeme = ANY(m.lexemes)) / q.information)::float8 AS share
      FROM (SELECT p.item_id, tsvector_to_array(p.search_vector) AS lexemes FROM knowledge.passages p CROSS JOIN q
             WHERE p.workspace_id = $1 AND p.search_vector @@ q.query LIMIT ${MATCHED_PER_KIND}) m
      CROSS JOIN q
     GROUP BY m.item_id
  ),
  variant_hits AS (
    SELECT m.item_id,
           max(greatest((SELECT coalesce(sum(t.idf), 0) FROM terms t WHERE t.lexeme = ANY(m.lexemes)) / q.information, public.similarity(m.text, $7)))::float8 AS share,
           (array_agg(m.text ORDER BY public.similarity(m.text, $7) DESC))[1] AS question
      FROM (SELECT v.item_id, v.text, tsvector_to_array(v.search_vector) AS lexemes FROM knowledge.question_variants v CROSS JOIN q
             WHERE v.workspace_id = $1 AND (v.search_vector @@ q.query OR v.text OPERATOR(public.%) $7)
             LIMIT ${MATCHED_PER_KIND}) m
      CROSS JOIN q
     GROUP BY m.item_id
  ),
  candidates AS (
    SELECT item_id FROM title_hits UNION SELECT item_id FROM passage_hits UNION SELECT item_id FROM variant_hits
  ),
  scored AS (
    SELECT i.id,
           (2 * (SELECT coalesce(sum(t.idf), 0) FROM terms t WHERE t.lexeme = ANY(tsvector_to_array(i.title_vector))) / q.information
             + public.similarity(i.title, $7) + coalesce(ph.share, 0) + coalesce(vh.share, 0))::float8 AS score,
           vh.question AS "matchedQuestion"
      FROM candidates c
      JOIN knowledge.knowledge_items i ON i.id = c.item_id
      CROSS JOIN q
      LEFT JOIN passage_hits ph ON ph.item_id = i.id
      LEFT JOIN variant_hits vh ON vh.item_id = i.id
     WHERE ${FILTERS}
  )
  SELECT id, score, "matchedQuestion" FROM scored
   WHERE $8::float8 IS NULL OR (score, id) < ($8::float8, $9::uuid)
     -- (score DESC, id DESC): the same order as the row comparison above
   ORDER BY score DESC, id DESC
   LIMIT $10`;
