/**
 * Questions the AI did not settle: hand-offs (which carry the question) and customers asking for a person
 * after an answer. Identical questions (case and surrounding space aside) are grouped, counted in the range
 * and in the period of equal length before it; the most frequent {limit} are clustered.
 */
export const GAP_QUESTIONS_SQL = `
  SELECT
    any(text) AS question,
    uniqExactIf(event_id, occurred_at >= {from:DateTime64(3, 'UTC')}) AS count,
    uniqExactIf(event_id, occurred_at < {from:DateTime64(3, 'UTC')}) AS previousCount
  FROM {database:Identifier}.interaction_events
  WHERE workspace_id = {workspaceId:UUID}
    AND event_type IN ('handed_off', 'escalated')
    AND text != ''
    AND occurred_at >= {previousFrom:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
    AND ({topic:String} = '' OR topic = {topic:String})
  GROUP BY lower(trimBoth(text))
  ORDER BY count + previousCount DESC, question
  LIMIT {limit:UInt32}`;
