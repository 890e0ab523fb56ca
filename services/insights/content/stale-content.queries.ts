/**
 * Content health from knowledge's and conversation's events: items a product change flagged stale that are
 * still being cited (no edit since the flag), and published items nobody has cited for a while.
 *
 * Each query comes in two readings over the same data: from the rollups (items' lifecycle events in
 * knowledge_lifecycle_events; the answers citing each item in item_citations, migration 010; the items cited per
 * day in daily_citations, migration 010, and per hour in hourly_citations, migration 005, with raw events for
 * partial hours), and from raw events only, the reference the rollups are tested against.
 */
import { type ReadFrom, itemsCitedIn } from '../rollup-window';

/** Where an item's lifecycle events (published, updated, archived, flagged, learned, reverted) are read from. */
const lifecycle = (from: ReadFrom) => `{database:Identifier}.${from === 'rollups' ? 'knowledge_lifecycle_events' : 'interaction_events'}`;

/** The lifecycle events that give an item its title, up to {until}. */
const TITLED = `event_type IN ('knowledge_published', 'knowledge_updated', 'learned_answer_created', 'learned_answer_published')
       AND JSONExtractString(payload, 'title') != ''
       AND occurred_at < {until:DateTime64(3, 'UTC')}`;

/** Each item's latest title before {until} (every item when {until} is far ahead). */
const titles = (from: ReadFrom) => `
    SELECT knowledge_item_id, argMax(JSONExtractString(payload, 'title'), occurred_at) AS title
      FROM ${lifecycle(from)}
     WHERE workspace_id = {workspaceId:UUID} AND ${TITLED}
     GROUP BY knowledge_item_id`;

/**
 * Items flagged stale with no edit or archive since their latest flag, with the topic of that flag and their latest
 * title before {until} ('' without one): one pass over the items' lifecycle events (an item never edited or archived
 * has a latest edit of 1970).
 */
export const stillStaleSql = (from: ReadFrom) => `
  SELECT knowledge_item_id AS knowledgeItemId,
         argMaxIf(topic, occurred_at, event_type = 'knowledge_flagged_stale') AS topic,
         maxIf(occurred_at, event_type = 'knowledge_flagged_stale') AS flaggedAt,
         argMaxIf(JSONExtractString(payload, 'title'), occurred_at, ${TITLED}) AS title
    FROM ${lifecycle(from)}
   WHERE workspace_id = {workspaceId:UUID}
     AND event_type IN ('knowledge_flagged_stale', 'knowledge_updated', 'knowledge_archived', 'knowledge_published', 'learned_answer_created', 'learned_answer_published')
   GROUP BY knowledge_item_id
  HAVING countIf(event_type = 'knowledge_flagged_stale') > 0
     AND maxIf(occurred_at, event_type IN ('knowledge_updated', 'knowledge_archived')) < flaggedAt`;

/**
 * The answers that cited each of {items:Array(String)} since its flag ({flags:Map(String, DateTime64)}, by item): from
 * item_citations (analytics migration 010), where each item's answers since its flag are one range of the index, or
 * from raw events, the reference. Items no answer cited since have no row.
 */
export const servedSinceFlagSql = (from: ReadFrom) =>
  from === 'rollups'
    ? `
  SELECT knowledge_item_id AS knowledgeItemId, count() AS timesServed, max(occurred_at) AS lastServedAt
    FROM {database:Identifier}.item_citations
   WHERE workspace_id = {workspaceId:UUID} AND knowledge_item_id IN {items:Array(String)}
     AND occurred_at >= {flags:Map(String, DateTime64(3, 'UTC'))}[knowledge_item_id] AND occurred_at < {until:DateTime64(3, 'UTC')}
   GROUP BY knowledge_item_id`
    : `
  SELECT knowledge_item_id AS knowledgeItemId, uniqExact(event_id) AS timesServed, max(occurred_at) AS lastServedAt
    FROM {database:Identifier}.interaction_events
   WHERE workspace_id = {workspaceId:UUID} AND event_type = 'answer_shown' AND knowledge_item_id IN {items:Array(String)}
     AND occurred_at >= {flags:Map(String, DateTime64(3, 'UTC'))}[knowledge_item_id] AND occurred_at < {until:DateTime64(3, 'UTC')}
   GROUP BY knowledge_item_id`;

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
    ? `SELECT knowledge_item_id FROM ${itemsCitedIn('window')}`
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
