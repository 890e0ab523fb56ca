/**
 * Questions the AI did not settle: hand-offs (which carry the question) and customers asking for a person
 * after an answer. Identical questions (case and surrounding space aside) are grouped under their smallest
 * spelling, counted in the range and in the period of equal length before it; the most frequent {limit} are
 * clustered. GAP_QUESTIONS_ROLLUP_SQL reads hourly_gap_questions (whole hours) and raw events (partial
 * hours); GAP_QUESTIONS_SQL reads raw events only, the reference the rollup is tested against.
 */
import { hourlyGapQuestions } from '../rollup-window';

export const GAP_QUESTIONS_SQL = `
  SELECT
    min(text) AS question,
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

const TOPIC = `({topic:String} = '' OR topic = {topic:String})`;

export const GAP_QUESTIONS_ROLLUP_SQL = `
  SELECT min(question) AS question, sum(current) AS count, sum(previous) AS previousCount
  FROM (
    SELECT question_key, question, events AS current, toUInt64(0) AS previous FROM ${hourlyGapQuestions('range', TOPIC)}
    UNION ALL
    SELECT question_key, question, toUInt64(0) AS current, events AS previous FROM ${hourlyGapQuestions('previous', TOPIC)}
  )
  GROUP BY question_key
  ORDER BY count + previousCount DESC, question
  LIMIT {limit:UInt32}`;
