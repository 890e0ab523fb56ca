/**
 * What the AI learned per time bucket, from the knowledge and conversation events the relay delivers:
 * corrections absorbed, learned answers published, new phrasings learned, topics that moved towards answering
 * alone (their threshold went down) or towards handing off. A learned answer counts in the bucket it was
 * published in only while it is still served: one reverted or archived since is not an answer the AI serves.
 *
 * A context (asker-context.ts: plan, page area) cuts what its events know it for: questions, answers and hand-offs,
 * so the automation rate. Corrections, learned answers, phrasings and threshold moves carry no asker's plan or page
 * in the warehouse and stay the workspace's: the queries bind {plan} and {pageArea} ('' for any) either way.
 */
import { IN_CONTEXT_SQL, pageAreaSql } from '../asker-context';
import { dailyFriction, hourlyEventTotals, hourlyEvents } from '../rollup-window';
import { BUCKET_SQL } from '../time-range';

/**
 * Learned answers whose latest state change put them in front of customers: a later revert of their creation or
 * approval, or an archive, takes them back out, whenever it happened.
 */
const stillServed = (table: 'interaction_events' | 'knowledge_lifecycle_events') => `
    SELECT knowledge_item_id
      FROM {database:Identifier}.${table}
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
  WITH still_served AS (${stillServed('interaction_events')})
  SELECT
    ${BUCKET_SQL} AS bucket,
    uniqExactIf(event_id, event_type = 'answer_corrected') AS correctionsAbsorbed,
    uniqExactIf(knowledge_item_id, (event_type = 'learned_answer_created' AND JSONExtractString(payload, 'status') = 'published'
                                    OR event_type = 'learned_answer_published')
                                   AND knowledge_item_id IN (SELECT knowledge_item_id FROM still_served)) AS learnedAnswersPublished,
    uniqExactIf(event_id, event_type = 'question_variant_added') AS phrasingsLearned,
    uniqExactIf(event_id, event_type = 'threshold_moved' AND JSONExtractFloat(payload, 'after') < JSONExtractFloat(payload, 'before')) AS topicsOpened,
    uniqExactIf(event_id, event_type = 'threshold_moved' AND JSONExtractFloat(payload, 'after') > JSONExtractFloat(payload, 'before')) AS topicsClosed,
    uniqExactIf(event_id, event_type = 'question_asked' AND ${IN_CONTEXT_SQL}) AS questions,
    uniqExactIf(event_id, event_type = 'answer_shown' AND ${IN_CONTEXT_SQL}) AS answered,
    uniqExactIf(event_id, event_type = 'handed_off' AND ${IN_CONTEXT_SQL}) AS handedOff
  FROM {database:Identifier}.interaction_events
  WHERE workspace_id = {workspaceId:UUID}
    AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
  GROUP BY bucket
  ORDER BY bucket`;

/**
 * Topics (by plan and page) ranked by the signals that a customer was not helped. A drop-off (the customer left an
 * answer with no rating, resolution or follow-up within the window) may be a customer who was helped, so it weighs
 * a quarter in the ranking, as it does in the answer's evidence (knowledge's learning-trust.ts, DROP_OFF_WEIGHT).
 * Each signal carries the plan and page of the question it is about (conversation stamps them on ratings,
 * requests for a person, hand-offs and drop-offs), so one row is one place in the product. FRICTION_SQL reads raw
 * events (the reference); FRICTION_ROLLUP_SQL reads daily_friction for whole UTC days, hourly_events for the hours
 * around them and raw events for partial hours. Both keep the signals in the context bound as {plan} and {pageArea}
 * ('' for any): the rollups keep plan and page verbatim, so they cut a context exactly as raw events do.
 */
const FRICTION_TYPES = `event_type IN ('outcome_repeat_contact', 'answer_rated', 'handed_off', 'escalated', 'dropped_off') AND ${IN_CONTEXT_SQL}`;
/**
 * The ranking over rows of (topic, plan, page, event_type, rating sign, events), per topic, plan and page, or (bound
 * {by:String} 'plan' or 'pageArea') per topic and plan or topic and page area: the keys a breakdown drops are ''.
 */
const frictionFrom = (rows: string) => `
  SELECT topic,
    if({by:String} = 'pageArea', '', toString(plan)) AS plan_key,
    if({by:String} = '', page, '') AS page_key,
    if({by:String} = 'pageArea', ${pageAreaSql()}, '') AS area_key,
    sumIf(events, event_type = 'outcome_repeat_contact') AS repeatContacts,
    sumIf(events, event_type = 'answer_rated' AND rating < 0) AS downRatings,
    sumIf(events, event_type IN ('handed_off', 'escalated')) AS handOffs,
    sumIf(events, event_type = 'dropped_off') AS dropOffs,
    repeatContacts + downRatings + handOffs + 0.25 * dropOffs AS friction
  FROM ${rows}
  GROUP BY topic, plan_key, page_key, area_key
  HAVING friction > 0
  ORDER BY friction DESC, topic, plan_key, page_key, area_key
  LIMIT {limit:UInt32}`;

export const FRICTION_SQL = frictionFrom(`(
    SELECT topic, plan, page, event_type, toInt8(sign(rating)) AS rating, toUInt64(uniqExact(event_id)) AS events
      FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID}
       AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
       AND ${FRICTION_TYPES}
     GROUP BY topic, plan, page, event_type, rating
  )`);

export const FRICTION_ROLLUP_SQL = frictionFrom(dailyFriction('range', FRICTION_TYPES));

/**
 * LEARNING_CURVE_SQL's counts from an hourly rollup (`range` = [from, to)); learned answers come from
 * LEARNED_ANSWERS_SQL. Every event type is read, so a bucket with any event is listed, as in the raw query. Without a
 * context, hourly_event_totals (one row per type and hour) answers; with one, hourly_events, which keeps the plan and
 * the page the automation counts are cut by.
 */
const learningCountsFrom = (rows: string, inContext: string) => `
  SELECT
    ${BUCKET_SQL.replaceAll('occurred_at', 'hour')} AS bucket,
    sumIf(events, event_type = 'answer_corrected') AS correctionsAbsorbed,
    sumIf(events, event_type = 'question_variant_added') AS phrasingsLearned,
    sumIf(events, event_type = 'threshold_moved' AND direction < 0) AS topicsOpened,
    sumIf(events, event_type = 'threshold_moved' AND direction > 0) AS topicsClosed,
    sumIf(events, event_type = 'question_asked' AND ${inContext}) AS questions,
    sumIf(events, event_type = 'answer_shown' AND ${inContext}) AS answered,
    sumIf(events, event_type = 'handed_off' AND ${inContext}) AS handedOff
  FROM ${rows}
  GROUP BY bucket
  ORDER BY bucket`;

export const LEARNING_COUNTS_ROLLUP_SQL = learningCountsFrom(hourlyEventTotals('range'), '1');
export const LEARNING_COUNTS_IN_CONTEXT_ROLLUP_SQL = learningCountsFrom(hourlyEvents('range'), IN_CONTEXT_SQL);

/**
 * Questions, answers and hand-offs in [from, to) per context bucket, plan and page area both (kind 'plan' or
 * 'pageArea'); a bucket is never '' (an unknown plan or a page with no area is not a place). What the weekly report
 * compares week on week; `learningCurve` with that bucket as its context returns the same counts. The rollup version
 * reads hourly_events, with raw events for partial hours, so any instants cut exactly.
 */
const AUTOMATION_TYPES = "event_type IN ('question_asked', 'answer_shown', 'handed_off')";
const automationByContextFrom = (rows: string) => `
  SELECT context.1 AS kind, context.2 AS bucket,
    sumIf(events, event_type = 'question_asked') AS questions,
    sumIf(events, event_type = 'answer_shown') AS answered,
    sumIf(events, event_type = 'handed_off') AS handedOff
  FROM ${rows}
  ARRAY JOIN [('plan', toString(plan)), ('pageArea', ${pageAreaSql()})] AS context
  WHERE context.2 != ''
  GROUP BY kind, bucket
  ORDER BY kind, bucket`;

export const AUTOMATION_BY_CONTEXT_SQL = automationByContextFrom(`(
    SELECT event_type, plan, page, toUInt64(uniqExact(event_id)) AS events
      FROM {database:Identifier}.interaction_events
     WHERE workspace_id = {workspaceId:UUID}
       AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
       AND ${AUTOMATION_TYPES}
     GROUP BY event_type, plan, page
  )`);

export const AUTOMATION_BY_CONTEXT_ROLLUP_SQL = automationByContextFrom(hourlyEvents('range', AUTOMATION_TYPES));

/** Learned answers published per bucket and still served: rare events, from their copy in knowledge_lifecycle_events. */
export const LEARNED_ANSWERS_SQL = `
  WITH still_served AS (${stillServed('knowledge_lifecycle_events')})
  SELECT
    ${BUCKET_SQL} AS bucket,
    uniqExact(knowledge_item_id) AS learnedAnswersPublished
  FROM {database:Identifier}.knowledge_lifecycle_events
  WHERE workspace_id = {workspaceId:UUID}
    AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
    AND (event_type = 'learned_answer_created' AND JSONExtractString(payload, 'status') = 'published' OR event_type = 'learned_answer_published')
    AND knowledge_item_id IN (SELECT knowledge_item_id FROM still_served)
  GROUP BY bucket
  ORDER BY bucket`;
