/**
 * Support figures per time bucket, in the workspace's time zone. Exact counts use uniqExact(event_id): the relay
 * delivers at least once. Filters use '' for "any". Event-level filters apply to the events that carry the field
 * (plan and page are on questions, answers and hand-offs; topic on nearly everything).
 */
import { BUCKET_SQL } from '../time-range';

const FILTERS = `
      workspace_id = {workspaceId:UUID}
  AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
  AND ({topic:String} = '' OR topic = {topic:String})
  AND ({plan:String} = '' OR plan = {plan:String})
  AND ({page:String} = '' OR page = {page:String})
  AND ({channel:String} = '' OR channel = {channel:String})`;

export const SUPPORT_METRICS_SQL = `
  SELECT
    ${BUCKET_SQL} AS bucket,
    uniqExactIf(event_id, event_type = 'question_asked') AS questions,
    uniqExactIf(event_id, event_type = 'answer_shown') AS answered,
    uniqExactIf(event_id, event_type = 'handed_off') AS handedOff,
    uniqExactIf(event_id, event_type = 'escalated') AS escalatedByCustomer,
    uniqExactIf(event_id, event_type = 'resolved') AS resolved,
    uniqExactIf(event_id, event_type = 'answer_rated' AND rating > 0) AS ratedUp,
    uniqExactIf(event_id, event_type = 'answer_rated' AND rating < 0) AS ratedDown,
    uniqExactIf(conversation_id, event_type = 'question_asked') AS conversations
  FROM {database:Identifier}.interaction_events
  WHERE event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated') AND ${FILTERS}
  GROUP BY bucket
  ORDER BY bucket`;

export const HAND_OFF_REASONS_SQL = `
  SELECT handoff_reason AS reason, uniqExact(event_id) AS count
  FROM {database:Identifier}.interaction_events
  WHERE event_type = 'handed_off' AND ${FILTERS}
  GROUP BY reason
  ORDER BY count DESC, reason`;
