/**
 * What the AI learned per time bucket, from the knowledge and conversation events the relay delivers:
 * corrections absorbed, learned answers published, new phrasings learned, topics that moved towards answering
 * alone (their threshold went down) or towards handing off.
 */
import { BUCKET_SQL } from '../time-range';

export const LEARNING_CURVE_SQL = `
  SELECT
    ${BUCKET_SQL} AS bucket,
    uniqExactIf(event_id, event_type = 'answer_corrected') AS correctionsAbsorbed,
    uniqExactIf(event_id, (event_type = 'learned_answer_created' AND JSONExtractString(payload, 'status') = 'published')
                          OR event_type = 'learned_answer_published') AS learnedAnswersPublished,
    uniqExactIf(event_id, event_type = 'question_variant_added') AS phrasingsLearned,
    uniqExactIf(event_id, event_type = 'threshold_moved' AND JSONExtractFloat(payload, 'after') < JSONExtractFloat(payload, 'before')) AS topicsOpened,
    uniqExactIf(event_id, event_type = 'threshold_moved' AND JSONExtractFloat(payload, 'after') > JSONExtractFloat(payload, 'before')) AS topicsClosed,
    uniqExactIf(event_id, event_type = 'answer_shown') AS answered,
    uniqExactIf(event_id, event_type = 'handed_off') AS handedOff
  FROM {database:Identifier}.interaction_events
  WHERE workspace_id = {workspaceId:UUID}
    AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
  GROUP BY bucket
  ORDER BY bucket`;

/** Topics (by plan and page) ranked by the signals that a customer was not helped. */
export const FRICTION_SQL = `
  SELECT topic, plan, page,
    uniqExactIf(event_id, event_type = 'outcome_repeat_contact') AS repeatContacts,
    uniqExactIf(event_id, event_type = 'answer_rated' AND rating < 0) AS downRatings,
    uniqExactIf(event_id, event_type IN ('handed_off', 'escalated')) AS handOffs,
    repeatContacts + downRatings + handOffs AS friction
  FROM {database:Identifier}.interaction_events
  WHERE workspace_id = {workspaceId:UUID}
    AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
    AND event_type IN ('outcome_repeat_contact', 'answer_rated', 'handed_off', 'escalated')
  GROUP BY topic, plan, page
  HAVING friction > 0
  ORDER BY friction DESC, topic, plan, page
  LIMIT {limit:UInt32}`;
