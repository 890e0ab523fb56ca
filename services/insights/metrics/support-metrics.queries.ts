/**
 * Support figures per time bucket, in the workspace's time zone. Exact counts use uniqExact(event_id): the relay
 * delivers at least once. Filters use '' for "any". Event-level filters apply to the events that carry the field
 * (plan, page and language are on questions, answers and hand-offs; topic on nearly everything). The language is
 * in the event's payload (conversation records it since languages are detected), not a column of its own.
 */
import { hourlyContacts, hourlyConversationTimeline, hourlyCsat, hourlyEvents } from '../rollup-window';
import { BUCKET_SQL } from '../time-range';

/** The API's filters, on any row that has these columns (raw events, hourly_events, hourly_contacts). */
const DIMENSION_FILTERS = `
      ({topic:String} = '' OR topic = {topic:String})
  AND ({plan:String} = '' OR plan = {plan:String})
  AND ({page:String} = '' OR page = {page:String})
  AND ({channel:String} = '' OR channel = {channel:String})`;

const FILTERS = `
      workspace_id = {workspaceId:UUID}
  AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
  AND ({topic:String} = '' OR topic = {topic:String})
  AND ({plan:String} = '' OR plan = {plan:String})
  AND ({page:String} = '' OR page = {page:String})
  AND ({channel:String} = '' OR channel = {channel:String})
  AND ({language:String} = '' OR JSONExtractString(payload, 'language') = {language:String})`;

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
    uniqExactIf(event_id, event_type = 'csat_rated' AND rating = 1) AS csat1,
    uniqExactIf(event_id, event_type = 'csat_rated' AND rating = 2) AS csat2,
    uniqExactIf(event_id, event_type = 'csat_rated' AND rating = 3) AS csat3,
    uniqExactIf(event_id, event_type = 'csat_rated' AND rating = 4) AS csat4,
    uniqExactIf(event_id, event_type = 'csat_rated' AND rating = 5) AS csat5,
    uniqExactIf(if(conversation_id != '', conversation_id, toString(event_id)), event_type = 'question_asked') AS conversations
  FROM {database:Identifier}.interaction_events
  WHERE event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated') AND ${FILTERS}
  GROUP BY bucket
  ORDER BY bucket`;

/** CSAT responses per topic and score (1–5), over the whole range. */
export const CSAT_BY_TOPIC_SQL = `
  SELECT topic, rating AS score, uniqExact(event_id) AS responses
  FROM {database:Identifier}.interaction_events
  WHERE event_type = 'csat_rated' AND ${FILTERS}
  GROUP BY topic, score
  ORDER BY topic, score`;

export const HAND_OFF_REASONS_SQL = `
  SELECT handoff_reason AS reason, uniqExact(event_id) AS count
  FROM {database:Identifier}.interaction_events
  WHERE event_type = 'handed_off' AND ${FILTERS}
  GROUP BY reason
  ORDER BY count DESC, reason`;

/**
 * Time to first human response and to resolution, per conversation, bucketed by when the conversation started.
 * A conversation counts in the range it started in; its later events (reply, resolution) are looked for up to
 * {followUpDays} days after the range, so a Sunday-night hand-off answered on Monday still has its response
 * time. First response: first agent reply or correction after the first hand-off (AI or customer-requested).
 * Resolution: first `resolved` after the first question. Filters apply to the conversation's first question.
 * {total:UInt8} = 1 folds every bucket into one row (medians do not add up, so totals are their own query).
 * `conversations` yields one row per conversation: when it started, and its first hand-off, reply and resolution.
 */
const responseTimesOver = (conversations: string) => `
  SELECT
    if({total:UInt8} = 1, '', toString(${BUCKET_SQL})) AS bucket,
    quantileExactInclusiveIf(0.5)(firstResponseMs, responded) / 1000 AS medianFirstResponseSeconds,
    quantileExactInclusiveIf(0.9)(firstResponseMs, responded) / 1000 AS p90FirstResponseSeconds,
    quantileExactInclusiveIf(0.5)(resolutionMs, resolvedAfter) / 1000 AS medianResolutionSeconds,
    quantileExactInclusiveIf(0.9)(resolutionMs, resolvedAfter) / 1000 AS p90ResolutionSeconds,
    countIf(responded) AS firstResponses,
    countIf(resolvedAfter) AS resolutions
  FROM (
    SELECT
      started AS occurred_at,
      handOffs > 0 AND replies > 0 AND repliedAt >= handedOffAt AS responded,
      dateDiff('millisecond', handedOffAt, repliedAt) AS firstResponseMs,
      resolutions > 0 AND resolvedAt >= started AS resolvedAfter,
      dateDiff('millisecond', started, resolvedAt) AS resolutionMs
    FROM (
${conversations}
    )
  )
  GROUP BY bucket
  ORDER BY bucket`;

/** From raw events. */
export const RESPONSE_TIMES_SQL = responseTimesOver(`
      SELECT
        conversation_id,
        minIf(occurred_at, event_type = 'question_asked') AS started,
        countIf(event_type = 'question_asked') AS questions,
        argMinIf(topic, occurred_at, event_type = 'question_asked') AS firstTopic,
        argMinIf(plan, occurred_at, event_type = 'question_asked') AS firstPlan,
        argMinIf(page, occurred_at, event_type = 'question_asked') AS firstPage,
        argMinIf(channel, occurred_at, event_type = 'question_asked') AS firstChannel,
        argMinIf(JSONExtractString(payload, 'language'), occurred_at, event_type = 'question_asked') AS firstLanguage,
        minIf(occurred_at, event_type IN ('handed_off', 'escalated')) AS handedOffAt,
        countIf(event_type IN ('handed_off', 'escalated')) AS handOffs,
        minIf(occurred_at, event_type IN ('agent_replied', 'answer_corrected')) AS repliedAt,
        countIf(event_type IN ('agent_replied', 'answer_corrected')) AS replies,
        minIf(occurred_at, event_type = 'resolved') AS resolvedAt,
        countIf(event_type = 'resolved') AS resolutions
      FROM {database:Identifier}.interaction_events
      WHERE workspace_id = {workspaceId:UUID}
        AND conversation_id != ''
        AND occurred_at >= {from:DateTime64(3, 'UTC')}
        AND occurred_at < {to:DateTime64(3, 'UTC')} + toIntervalDay({followUpDays:UInt32})
        AND event_type IN ('question_asked', 'handed_off', 'escalated', 'agent_replied', 'answer_corrected', 'resolved')
      GROUP BY conversation_id
      HAVING questions > 0
        AND started >= {from:DateTime64(3, 'UTC')} AND started < {to:DateTime64(3, 'UTC')}
        AND ({topic:String} = '' OR firstTopic = {topic:String})
        AND ({plan:String} = '' OR firstPlan = {plan:String})
        AND ({page:String} = '' OR firstPage = {page:String})
        AND ({channel:String} = '' OR firstChannel = {channel:String})
        AND ({language:String} = '' OR firstLanguage = {language:String})`);

// ---- The same figures from the hourly rollups (bounds in rollup-window's form; `range` = [from, to)). ----------
// A conversation is its id, or for a question outside any conversation the question itself, in both forms.

/** SUPPORT_METRICS_SQL without `conversations` (CONVERSATIONS_ROLLUP_SQL gives it) and CSAT (CSAT_ROLLUP_SQL). */
export const SUPPORT_COUNTS_ROLLUP_SQL = `
  SELECT
    ${BUCKET_SQL.replaceAll('occurred_at', 'hour')} AS bucket,
    sumIf(events, event_type = 'question_asked') AS questions,
    sumIf(events, event_type = 'answer_shown') AS answered,
    sumIf(events, event_type = 'handed_off') AS handedOff,
    sumIf(events, event_type = 'escalated') AS escalatedByCustomer,
    sumIf(events, event_type = 'resolved') AS resolved,
    sumIf(events, event_type = 'answer_rated' AND rating > 0) AS ratedUp,
    sumIf(events, event_type = 'answer_rated' AND rating < 0) AS ratedDown
  FROM ${hourlyEvents('range', `event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated') AND ${DIMENSION_FILTERS}`)}
  GROUP BY bucket
  ORDER BY bucket`;

/** SUPPORT_METRICS_SQL's CSAT counts per score, from hourly_csat (hourly_events keeps only a rating's sign). */
export const CSAT_ROLLUP_SQL = `
  SELECT
    ${BUCKET_SQL.replaceAll('occurred_at', 'hour')} AS bucket,
    sumIf(responses, score = 1) AS csat1,
    sumIf(responses, score = 2) AS csat2,
    sumIf(responses, score = 3) AS csat3,
    sumIf(responses, score = 4) AS csat4,
    sumIf(responses, score = 5) AS csat5
  FROM ${hourlyCsat('range', DIMENSION_FILTERS)}
  GROUP BY bucket
  ORDER BY bucket`;

export const CSAT_BY_TOPIC_ROLLUP_SQL = `
  SELECT topic, score, sum(responses) AS responses
  FROM ${hourlyCsat('range', DIMENSION_FILTERS)}
  GROUP BY topic, score
  ORDER BY topic, score`;

export const CONVERSATIONS_ROLLUP_SQL = `
  SELECT ${BUCKET_SQL.replaceAll('occurred_at', 'hour')} AS bucket, uniqExactMerge(contacts) AS conversations
  FROM ${hourlyContacts('range', DIMENSION_FILTERS)}
  GROUP BY bucket
  ORDER BY bucket`;

export const HAND_OFF_REASONS_ROLLUP_SQL = `
  SELECT handoff_reason AS reason, sum(events) AS count
  FROM ${hourlyEvents('range', `event_type = 'handed_off' AND ${DIMENSION_FILTERS}`)}
  GROUP BY reason
  ORDER BY count DESC, reason`;

/** RESPONSE_TIMES_SQL over the conversations' hourly timelines; `window` = [from, to + followUpDays). */
export const RESPONSE_TIMES_ROLLUP_SQL = responseTimesOver(`
      SELECT
        conversation_id,
        minIfMerge(started) AS started,
        sum(questions) AS questions,
        argMinIfMerge(first_topic) AS firstTopic,
        argMinIfMerge(first_plan) AS firstPlan,
        argMinIfMerge(first_page) AS firstPage,
        argMinIfMerge(first_channel) AS firstChannel,
        minIfMerge(handed_off_at) AS handedOffAt,
        sum(hand_offs) AS handOffs,
        minIfMerge(replied_at) AS repliedAt,
        sum(replies) AS replies,
        minIfMerge(resolved_at) AS resolvedAt,
        sum(resolutions) AS resolutions
      FROM ${hourlyConversationTimeline('window')}
      GROUP BY conversation_id
      HAVING questions > 0
        AND started >= {from:DateTime64(3, 'UTC')} AND started < {to:DateTime64(3, 'UTC')}
        AND ({topic:String} = '' OR firstTopic = {topic:String})
        AND ({plan:String} = '' OR firstPlan = {plan:String})
        AND ({page:String} = '' OR firstPage = {page:String})
        AND ({channel:String} = '' OR firstChannel = {channel:String})`);
