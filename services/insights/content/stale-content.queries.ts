/**
 * Content health from knowledge's and conversation's events: items a product change flagged stale that are
 * still being cited (no edit since the flag), and published items nobody has cited for a while.
 *
 * Each query comes in two readings over the same data: from the rollups (items' lifecycle events in
 * knowledge_lifecycle_events; the answers citing each item in item_citations, migration 010; the items cited per
 * hour in hourly_citations, migration 005, with raw events for partial hours), and from raw events only, the
 * reference the rollups are tested against.
 */
import { type ReadFrom, hourlyCitations } from '../rollup-window';

/** Where an item's lifecycle events (published, updated, archived, flagged, learned, reverted) are read from. */
const lifecycle = (from: ReadFrom) => `{database:Identifier}.${from === 'rollups' ? 'knowledge_lifecycle_events' : 'interaction_events'}`;

/** Each item's latest title before {until} (every item when {until} is far ahead). */
const titles = (from: ReadFrom) => `
    SELECT knowledge_item_id, argMax(JSONExtractString(payload, 'title'), occurred_at) AS title
      FROM ${lifecycle(from)}
     WHERE workspace_id = {workspaceId:UUID}
       AND event_type IN ('knowledge_published', 'knowledge_updated', 'learned_answer_created', 'learned_answer_published')
       AND JSONExtractString(payload, 'title') != ''
       AND occurred_at < {until:DateTime64(3, 'UTC')}
     GROUP BY knowledge_item_id`;

/** Items flagged stale with no edit or archive since their latest flag. */
const stillStale = (from: ReadFrom) => `
    SELECT f.knowledge_item_id AS knowledge_item_id, f.flagged_at AS flagged_at, f.topic AS topic
      FROM (
        SELECT knowledge_item_id, max(occurred_at) AS flagged_at, argMax(topic, occurred_at) AS topic
          FROM ${lifecycle(from)}
         WHERE workspace_id = {workspaceId:UUID} AND event_type = 'knowledge_flagged_stale'
         GROUP BY knowledge_item_id
      ) AS f
      LEFT JOIN (
        SELECT knowledge_item_id, max(occurred_at) AS settled_at
          FROM ${lifecycle(from)}
         WHERE workspace_id = {workspaceId:UUID} AND event_type IN ('knowledge_updated', 'knowledge_archived')
         GROUP BY knowledge_item_id
      ) AS st ON st.knowledge_item_id = f.knowledge_item_id
     WHERE st.settled_at < f.flagged_at OR st.knowledge_item_id = ''`;

/** Answers citing a stale item since its flag, from raw events (the reference). */
const SERVED_RAW = `
    SELECT e.knowledge_item_id AS knowledge_item_id, toUInt64(uniqExact(e.event_id)) AS answers, max(e.occurred_at) AS last_cited_at
      FROM {database:Identifier}.interaction_events AS e
      INNER JOIN stale AS s ON s.knowledge_item_id = e.knowledge_item_id
     WHERE e.workspace_id = {workspaceId:UUID} AND e.event_type = 'answer_shown'
       AND e.occurred_at >= s.flagged_at
     GROUP BY e.knowledge_item_id`;

/** The same from item_citations (analytics migration 010): each stale item's answers since its flag are one index range. */
const SERVED_ROLLUP = `
    SELECT c.knowledge_item_id AS knowledge_item_id, count() AS answers, max(c.occurred_at) AS last_cited_at
      FROM {database:Identifier}.item_citations AS c
      INNER JOIN stale AS s ON s.knowledge_item_id = c.knowledge_item_id
     WHERE c.workspace_id = {workspaceId:UUID}
       AND c.knowledge_item_id IN (SELECT knowledge_item_id FROM stale)
       AND c.occurred_at >= s.flagged_at
     GROUP BY c.knowledge_item_id`;

export const staleStillServedSql = (from: ReadFrom) => `
  WITH stale AS (${stillStale(from)}),
  served AS (${from === 'rollups' ? SERVED_ROLLUP : SERVED_RAW})
  SELECT s.knowledge_item_id AS knowledgeItemId, s.topic AS topic, s.flagged_at AS flaggedAt, any(t.title) AS title,
         sum(v.answers) AS timesServed, max(v.last_cited_at) AS lastServedAt
    FROM stale AS s
    INNER JOIN served AS v ON v.knowledge_item_id = s.knowledge_item_id
    LEFT JOIN (${titles(from)}) AS t ON t.knowledge_item_id = s.knowledge_item_id
   GROUP BY knowledgeItemId, topic, flaggedAt
  HAVING timesServed > 0
   ORDER BY timesServed DESC, knowledgeItemId
   LIMIT {limit:UInt32}`;

/**
 * Knowledge items customers could be served at {until}: published (an article, or a learned answer published
 * on creation or on approval) and not taken back since (archived, or the learned answer's creation or approval
 * reverted). The latest of those state changes before {until} decides.
 */
const liveItems = (from: ReadFrom) => `
  SELECT knowledge_item_id, minIf(occurred_at, publishing) AS published_at, argMinIf(topic, occurred_at, publishing) AS topic
    FROM (
      SELECT knowledge_item_id, occurred_at, topic,
             event_type IN ('knowledge_published', 'learned_answer_published')
               OR (event_type = 'learned_answer_created' AND JSONExtractString(payload, 'status') = 'published') AS publishing
        FROM ${lifecycle(from)}
       WHERE workspace_id = {workspaceId:UUID}
         AND event_type IN ('knowledge_published', 'learned_answer_created', 'learned_answer_published', 'knowledge_archived', 'learning_reverted')
         AND (event_type != 'learning_reverted' OR JSONExtractString(payload, 'kind') IN ('learned_answer_created', 'learned_answer_approved'))
         AND knowledge_item_id != ''
         AND occurred_at < {until:DateTime64(3, 'UTC')}
    )
   GROUP BY knowledge_item_id
  HAVING argMax(publishing, (occurred_at, publishing)) = 1`;

/** Items an answer cited in the window [{windowFrom}, {windowTo}). */
const citedItems = (from: ReadFrom) =>
  from === 'rollups'
    ? `SELECT DISTINCT knowledge_item_id FROM ${hourlyCitations('window')}`
    : `SELECT DISTINCT knowledge_item_id FROM {database:Identifier}.interaction_events
        WHERE workspace_id = {workspaceId:UUID} AND event_type = 'answer_shown' AND knowledge_item_id != ''
          AND occurred_at >= {windowFrom:DateTime64(3, 'UTC')} AND occurred_at < {windowTo:DateTime64(3, 'UTC')}`;

/**
 * The items live at {until}, uncited ones (no answer cited them in the window; an item published during the window
 * counts too) first, oldest first, at most {limit} rows; each row with how many items were live (`published`) and how
 * many of them uncited (`uncited`), counted before the limit. One query, so chDB reads the citations once.
 */
export const uncitedSql = (from: ReadFrom) => `
  SELECT p.knowledge_item_id AS knowledgeItemId, p.topic AS topic, p.published_at AS publishedAt, t.title AS title,
         p.cited AS cited, count() OVER () AS published, countIf(NOT p.cited) OVER () AS uncited
    FROM (SELECT *, knowledge_item_id IN (${citedItems(from)}) AS cited FROM (${liveItems(from)})) AS p
    LEFT JOIN (${titles(from)}) AS t ON t.knowledge_item_id = p.knowledge_item_id
   ORDER BY cited, publishedAt, knowledgeItemId
   LIMIT {limit:UInt32}`;
