/**
 * Content health from knowledge's and conversation's events: items a product change flagged stale that are
 * still being cited (no edit since the flag), and published items nobody has cited for a while.
 *
 * Each query comes in two readings over the same data: from the rollups (analytics migration 005: items'
 * lifecycle events in knowledge_lifecycle_events, citations per hour in hourly_citations with raw events for
 * partial hours), and from raw events only, the reference the rollups are tested against.
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

/** Raw answers citing a stale item since its flag: from the rollups, only those in the hour of the flag. */
const servedRaw = (from: ReadFrom) => `
    SELECT e.knowledge_item_id AS knowledge_item_id, toUInt64(uniqExact(e.event_id)) AS answers, max(e.occurred_at) AS last_cited_at
      FROM {database:Identifier}.interaction_events AS e
      INNER JOIN stale AS s ON s.knowledge_item_id = e.knowledge_item_id
     WHERE e.workspace_id = {workspaceId:UUID} AND e.event_type = 'answer_shown'
       AND e.occurred_at >= s.flagged_at
       ${from === 'rollups' ? 'AND (e.knowledge_item_id, toStartOfHour(e.occurred_at)) IN (SELECT knowledge_item_id, toStartOfHour(flagged_at) FROM stale)' : ''}
     GROUP BY e.knowledge_item_id`;

/** Whole hours after the hour of each item's flag, from hourly_citations. */
const SERVED_ROLLUP = `
    SELECT c.knowledge_item_id AS knowledge_item_id, toUInt64(sum(c.answers)) AS answers, max(c.last_cited_at) AS last_cited_at
      FROM {database:Identifier}.hourly_citations AS c
      INNER JOIN stale AS s ON s.knowledge_item_id = c.knowledge_item_id
     WHERE c.workspace_id = {workspaceId:UUID}
       AND c.knowledge_item_id IN (SELECT knowledge_item_id FROM stale)
       AND c.hour > (SELECT toStartOfHour(min(flagged_at)) FROM stale)
       AND c.hour > toStartOfHour(s.flagged_at)
     GROUP BY c.knowledge_item_id`;

export const staleStillServedSql = (from: ReadFrom) => `
  WITH stale AS (${stillStale(from)}),
  served AS (
    ${from === 'rollups' ? `${servedRaw(from)} UNION ALL ${SERVED_ROLLUP}` : servedRaw(from)}
  )
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

/** Live items no answer cited in the window, oldest first; an item published during the window counts too. */
export const uncitedSql = (from: ReadFrom) => `
  SELECT p.knowledge_item_id AS knowledgeItemId, p.topic AS topic, p.published_at AS publishedAt, t.title AS title
    FROM (${liveItems(from)}) AS p
    LEFT JOIN (${titles(from)}) AS t ON t.knowledge_item_id = p.knowledge_item_id
   WHERE p.knowledge_item_id NOT IN (${citedItems(from)})
   ORDER BY publishedAt, knowledgeItemId
   LIMIT {limit:UInt32}`;

/** How many items were live at {until}, and how many of them no answer cited in the window. */
export const uncitedCountsSql = (from: ReadFrom) => `
  SELECT count() AS published, countIf(knowledge_item_id NOT IN (${citedItems(from)})) AS uncited
    FROM (${liveItems(from)})`;
