/** The SQL behind activity figures. Exact counts use uniqExact(event_id): the relay may deliver twice. */
import { hourlyEventTotals } from '../rollup-window';

export const ACTIVITY_SUMMARY_SQL = `
  SELECT
    uniqExactIf(event_id, event_type = 'question_asked') AS questions,
    uniqExactIf(event_id, event_type = 'answer_shown')   AS answered,
    uniqExactIf(event_id, event_type = 'handed_off')     AS handedOff
  FROM {database:Identifier}.interaction_events
  WHERE workspace_id = {workspaceId:UUID}
    AND occurred_at >= {from:DateTime64(3, 'UTC')}
    AND occurred_at <  {to:DateTime64(3, 'UTC')}`;

/** The same from the hourly totals (any instants: the partial hours at the ends are read raw). */
export const ACTIVITY_SUMMARY_ROLLUP_SQL = `
  SELECT
    sumIf(events, event_type = 'question_asked') AS questions,
    sumIf(events, event_type = 'answer_shown')   AS answered,
    sumIf(events, event_type = 'handed_off')     AS handedOff
  FROM ${hourlyEventTotals('range', "event_type IN ('question_asked', 'answer_shown', 'handed_off')")}`;
