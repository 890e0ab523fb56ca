/**
 * Content health from knowledge's and conversation's events: items a product change flagged stale that are
 * still being cited (no edit since the flag), and published items nobody has cited for a while.
 */
export const STALE_STILL_SERVED_SQL = `
  WITH flagged AS (
    SELECT knowledge_item_id, max(occurred_at) AS flagged_at, any(topic) AS topic
      FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID} AND event_type = 'knowledge_flagged_stale'
     GROUP BY knowledge_item_id
  ),
  settled AS (
    SELECT knowledge_item_id, max(occurred_at) AS settled_at
      FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID} AND event_type IN ('knowledge_updated', 'knowledge_archived')
     GROUP BY knowledge_item_id
  ),
  titles AS (
    SELECT knowledge_item_id, argMax(JSONExtractString(payload, 'title'), occurred_at) AS title
      FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID}
       AND event_type IN ('knowledge_published', 'knowledge_updated', 'learned_answer_created', 'learned_answer_published')
       AND JSONExtractString(payload, 'title') != ''
     GROUP BY knowledge_item_id
  ),
  served AS (
    SELECT knowledge_item_id, occurred_at, event_id
      FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID} AND event_type = 'answer_shown' AND knowledge_item_id != ''
  )
  SELECT f.knowledge_item_id AS knowledgeItemId, f.topic AS topic, f.flagged_at AS flaggedAt, any(t.title) AS title,
         uniqExact(s.event_id) AS timesServed, max(s.occurred_at) AS lastServedAt
    FROM flagged f
    LEFT JOIN settled st ON st.knowledge_item_id = f.knowledge_item_id
    LEFT JOIN titles t ON t.knowledge_item_id = f.knowledge_item_id
    INNER JOIN served s ON s.knowledge_item_id = f.knowledge_item_id AND s.occurred_at >= f.flagged_at
   WHERE st.settled_at < f.flagged_at OR st.knowledge_item_id = ''
   GROUP BY knowledgeItemId, topic, flaggedAt
   ORDER BY timesServed DESC, knowledgeItemId
   LIMIT {limit:UInt32}`;

/**
 * Knowledge items customers could be served at {until}: published (an article, or a learned answer published
 * on creation or on approval) and not taken back since (archived, or the learned answer's creation or approval
 * reverted). The latest of those state changes before {until} decides.
 */
const LIVE_ITEMS = `
  SELECT knowledge_item_id, minIf(occurred_at, publishing) AS published_at, argMinIf(topic, occurred_at, publishing) AS topic
    FROM (
      SELECT knowledge_item_id, occurred_at, topic,
             event_type IN ('knowledge_published', 'learned_answer_published')
               OR (event_type = 'learned_answer_created' AND JSONExtractString(payload, 'status') = 'published') AS publishing
        FROM {database:Identifier}.interaction_events
       WHERE workspace_id = {workspaceId:UUID}
         AND event_type IN ('knowledge_published', 'learned_answer_created', 'learned_answer_published', 'knowledge_archived', 'learning_reverted')
         AND (event_type != 'learning_reverted' OR JSONExtractString(payload, 'kind') IN ('learned_answer_created', 'learned_answer_approved'))
         AND knowledge_item_id != ''
         AND occurred_at < {until:DateTime64(3, 'UTC')}
    )
   GROUP BY knowledge_item_id
  HAVING argMax(publishing, (occurred_at, publishing)) = 1`;

/** Items an answer cited from {since} to {until}. */
const CITED_ITEMS = `
  SELECT DISTINCT knowledge_item_id FROM {database:Identifier}.interaction_events
   WHERE workspace_id = {workspaceId:UUID} AND event_type = 'answer_shown' AND knowledge_item_id != ''
     AND occurred_at >= {since:DateTime64(3, 'UTC')} AND occurred_at < {until:DateTime64(3, 'UTC')}`;

/** Live items no answer cited in the window, oldest first; an item published during the window counts too. */
export const UNCITED_SQL = `
  WITH live AS (${LIVE_ITEMS}),
  titles AS (
    SELECT knowledge_item_id, argMax(JSONExtractString(payload, 'title'), occurred_at) AS title
      FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID}
       AND event_type IN ('knowledge_published', 'knowledge_updated', 'learned_answer_created', 'learned_answer_published')
       AND JSONExtractString(payload, 'title') != ''
       AND occurred_at < {until:DateTime64(3, 'UTC')}
     GROUP BY knowledge_item_id
  )
  SELECT p.knowledge_item_id AS knowledgeItemId, p.topic AS topic, p.published_at AS publishedAt, t.title AS title
    FROM live p
    LEFT JOIN titles t ON t.knowledge_item_id = p.knowledge_item_id
   WHERE p.knowledge_item_id NOT IN (${CITED_ITEMS})
   ORDER BY publishedAt, knowledgeItemId
   LIMIT {limit:UInt32}`;

/** How many items were live at {until}, and how many of them no answer cited in the window. */
export const UNCITED_COUNTS_SQL = `
  SELECT count() AS published, countIf(knowledge_item_id NOT IN (${CITED_ITEMS})) AS uncited
    FROM (${LIVE_ITEMS})`;
