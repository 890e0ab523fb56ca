/**
 * What the AI learned per time bucket, from the knowledge and conversation events the relay delivers:
 * corrections absorbed, learned answers published, new phrasings learned, topics that moved towards answering
 * alone (their threshold went down) or towards handing off. A learned answer counts in the bucket it was
 * published in only while it is still served: one reverted or archived since is not an answer the AI serves.
 */
import { hourlyEvents } from '../rollup-window';
import { BUCKET_SQL } from '../time-range';

/**
 * Learned answers whose latest state change put them in front of customers: a later revert of their creation or
 * approval, or an archive, takes them back out, whenever it happened.
 */
const STILL_SERVED = `
    SELECT knowledge_item_id
      FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID}
       AND event_type IN ('learned_answer_created', 'learned_answer_published', 'knowledge_archived', 'learning_reverted')
       AND knowledge_item_id != ''
       AND (event_type != 'learning_reverted' OR JSONExtractString(payload, 'kind') IN ('learned_answer_created', 'learned_answer_approved'))
     GROUP BY knowledge_item_id
    HAVING argMax(event_type = 'learned_answer_published'
                  OR (event_type = 'learned_answer_created' AND JSONExtractString(payload, 'status') = 'published'),
                  (occurred_at, event_type = 'learned_answer_published')) = 1
  `;

export const LEARNING_CURVE_SQL = `
  WITH still_served AS (${STILL_SERVED})
  SELECT
    ${BUCKET_SQL} AS bucket,
    uniqExactIf(event_id, event_type = 'answer_corrected') AS correctionsAbsorbed,
    uniqExactIf(knowledge_item_id, (event_type = 'learned_answer_created' AND JSONExtractString(payload, 'status') = 'published'
                                    OR event_type = 'learned_answer_published')
                                   AND knowledge_item_id IN (SELECT knowledge_item_id FROM still_served)) AS learnedAnswersPublished,
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

/**
 * Topics (by plan and page) ranked by the signals that a customer was not helped. A drop-off (the customer left an
 * answer with no rating, resolution or follow-up within the window) may be a customer who was helped, so it weighs
 * a quarter in the ranking, as it does in the answer's evidence (knowledge's learning-trust.ts, DROP_OFF_WEIGHT). Ratings, escalations and
 * agent-side events carry no plan or page of their own: they take those of their conversation's first question
 * (looked for up to 30 days before the range), so one conversation's friction lands in one row.
 */
export const FRICTION_SQL = `
  WITH conversations AS (
    SELECT conversation_id, argMin(plan, occurred_at) AS conversationPlan, argMin(page, occurred_at) AS conversationPage
      FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID}
       AND event_type = 'question_asked' AND conversation_id != ''
       AND occurred_at >= {from:DateTime64(3, 'UTC')} - toIntervalDay(30) AND occurred_at < {to:DateTime64(3, 'UTC')}
     GROUP BY conversation_id
  )
  SELECT e.topic AS topic,
    if(e.plan != '', e.plan, c.conversationPlan) AS plan,
    if(e.page != '', e.page, c.conversationPage) AS page,
    uniqExactIf(e.event_id, e.event_type = 'outcome_repeat_contact') AS repeatContacts,
    uniqExactIf(e.event_id, e.event_type = 'answer_rated' AND e.rating < 0) AS downRatings,
    uniqExactIf(e.event_id, e.event_type IN ('handed_off', 'escalated')) AS handOffs,
    uniqExactIf(e.event_id, e.event_type = 'dropped_off') AS dropOffs,
    repeatContacts + downRatings + handOffs + 0.25 * dropOffs AS friction
  FROM {database:Identifier}.interaction_events AS e
  LEFT JOIN conversations AS c ON c.conversation_id = e.conversation_id
  WHERE e.workspace_id = {workspaceId:UUID}
    AND e.occurred_at >= {from:DateTime64(3, 'UTC')} AND e.occurred_at < {to:DateTime64(3, 'UTC')}
    AND e.event_type IN ('outcome_repeat_contact', 'answer_rated', 'handed_off', 'escalated', 'dropped_off')
  GROUP BY topic, plan, page
  HAVING friction > 0
  ORDER BY friction DESC, topic, plan, page
  LIMIT {limit:UInt32}`;

/**
 * LEARNING_CURVE_SQL's counts from the hourly rollup (`range` = [from, to)); learned answers come from
 * LEARNED_ANSWERS_SQL. Every event type is read, so a bucket with any event is listed, as in the raw query.
 */
export const LEARNING_COUNTS_ROLLUP_SQL = `
  SELECT
    ${BUCKET_SQL.replaceAll('occurred_at', 'hour')} AS bucket,
    sumIf(events, event_type = 'answer_corrected') AS correctionsAbsorbed,
    sumIf(events, event_type = 'question_variant_added') AS phrasingsLearned,
    sumIf(events, event_type = 'threshold_moved' AND direction < 0) AS topicsOpened,
    sumIf(events, event_type = 'threshold_moved' AND direction > 0) AS topicsClosed,
    sumIf(events, event_type = 'answer_shown') AS answered,
    sumIf(events, event_type = 'handed_off') AS handedOff
  FROM ${hourlyEvents('range')}
  GROUP BY bucket
  ORDER BY bucket`;

/** Learned answers published per bucket and still served: rare events, read raw. */
export const LEARNED_ANSWERS_SQL = `
  WITH still_served AS (${STILL_SERVED})
  SELECT
    ${BUCKET_SQL} AS bucket,
    uniqExact(knowledge_item_id) AS learnedAnswersPublished
  FROM {database:Identifier}.interaction_events
  WHERE workspace_id = {workspaceId:UUID}
    AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
    AND (event_type = 'learned_answer_created' AND JSONExtractString(payload, 'status') = 'published' OR event_type = 'learned_answer_published')
    AND knowledge_item_id IN (SELECT knowledge_item_id FROM still_served)
  GROUP BY bucket
  ORDER BY bucket`;
