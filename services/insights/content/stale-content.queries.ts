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

export const UNCITED_SQL = `
  WITH published AS (
    SELECT knowledge_item_id, min(occurred_at) AS published_at, any(topic) AS topic
      FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID} AND event_type = 'knowledge_published'
     GROUP BY knowledge_item_id
  ),
  archived AS (
    SELECT DISTINCT knowledge_item_id FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID} AND event_type = 'knowledge_archived'
  ),
  titles AS (
    SELECT knowledge_item_id, argMax(JSONExtractString(payload, 'title'), occurred_at) AS title
      FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID}
       AND event_type IN ('knowledge_published', 'knowledge_updated', 'learned_answer_created', 'learned_answer_published')
       AND JSONExtractString(payload, 'title') != ''
     GROUP BY knowledge_item_id
  ),
  cited AS (
    SELECT DISTINCT knowledge_item_id FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID} AND event_type = 'answer_shown' AND occurred_at >= {since:DateTime64(3, 'UTC')}
  )
  SELECT p.knowledge_item_id AS knowledgeItemId, p.topic AS topic, p.published_at AS publishedAt, t.title AS title
    FROM published p
    LEFT JOIN titles t ON t.knowledge_item_id = p.knowledge_item_id
   WHERE p.published_at < {since:DateTime64(3, 'UTC')}
     AND p.knowledge_item_id NOT IN (SELECT knowledge_item_id FROM archived)
     AND p.knowledge_item_id NOT IN (SELECT knowledge_item_id FROM cited)
   ORDER BY publishedAt, knowledgeItemId
   LIMIT {limit:UInt32}`;
