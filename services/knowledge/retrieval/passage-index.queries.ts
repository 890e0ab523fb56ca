/**
 * What the in-process passage index (passage-index.ts) reads from Postgres, which stays the only record: the
 * question's lexemes with the workspace's passage revision (on every question), and the passages and titles of
 * the items changed since a revision (on the first question, and when the revision has moved).
 */

/**
 * The question's distinct lexemes (Postgres's English configuration, as the passages' search vectors were made)
 * and the workspace's passage revision (0 before its first passage); and, since retrieval needs them for every
 * question too and this saves a round trip, the locales the workspace has published knowledge in, most items first.
 * $1 workspace, $2 question.
 */
export const QUESTION_PROBE_SQL = `
  SELECT ARRAY(SELECT DISTINCT lexeme FROM unnest(tsvector_to_array(to_tsvector('english', $2))) AS lexeme) AS lexemes,
         coalesce((SELECT revision FROM knowledge.passage_totals WHERE workspace_id = $1), 0)::text AS revision,
         ARRAY(SELECT locale FROM knowledge.knowledge_items WHERE workspace_id = $1 AND status = 'published'
                GROUP BY locale ORDER BY count(*) DESC, locale) AS locales`;

/** The workspace's passage revision, read first in the snapshot a catch-up loads from. $1 workspace. */
export const PASSAGE_REVISION_SQL = `SELECT coalesce((SELECT revision FROM knowledge.passage_totals WHERE workspace_id = $1), 0)::text AS revision`;

/**
 * Items whose passages were written after revision $2 (-1: all of the workspace's), with their titles' lexemes and
 * term counts for articles (the title is a second field of theirs). $1 workspace.
 */
export const CHANGED_ITEMS_SQL = `
  SELECT i.id, i.kind, i.title,
         CASE WHEN i.kind = 'article' THEN ARRAY(SELECT u.lexeme FROM unnest(i.title_vector) u) END AS "titleLexemes",
         CASE WHEN i.kind = 'article' THEN ARRAY(SELECT coalesce(array_length(u.positions, 1), 1) FROM unnest(i.title_vector) u) END AS "titleCounts"
    FROM knowledge.knowledge_items i
   WHERE i.workspace_id = $1 AND i.passages_revision > $2`;

/**
 * The passages of the items CHANGED_ITEMS_SQL returns: each with its text's digest, its length (distinct lexemes),
 * its lexemes and how often each occurs. $1 workspace, $2 revision.
 */
export const CHANGED_PASSAGES_SQL = `
  SELECT p.id, p.item_id AS "itemId", md5(p.text) AS digest, length(p.search_vector) AS length,
         ARRAY(SELECT u.lexeme FROM unnest(p.search_vector) u) AS lexemes,
         ARRAY(SELECT coalesce(array_length(u.positions, 1), 1) FROM unnest(p.search_vector) u) AS counts
    FROM knowledge.passages p
    JOIN knowledge.knowledge_items i ON i.id = p.item_id
   WHERE p.workspace_id = $1 AND i.passages_revision > $2`;

/**
 * A passage write moves the workspace's revision and stamps the item with it (in the writer's transaction; the
 * passage_totals row, locked by the term counts just before, orders concurrent writers). $1 item, $2 workspace.
 */
export const STAMP_PASSAGE_REVISION_SQL = `
  WITH bumped AS (UPDATE knowledge.passage_totals SET revision = revision + 1 WHERE workspace_id = $2 RETURNING revision)
  UPDATE knowledge.knowledge_items SET passages_revision = (SELECT revision FROM bumped) WHERE id = $1`;
