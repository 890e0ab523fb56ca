/**
 * Support figures per time bucket, in the workspace's time zone. Exact counts use uniqExact(event_id): the relay
 * delivers at least once. Filters use '' for "any". Event-level filters apply to the events that carry the field
 * (plan, page and language are on questions, answers and hand-offs; topic on nearly everything). The language is
 * in the event's payload (conversation records it since languages are detected), not a column of its own.
 */
import { hourlyContactTotals, hourlyContacts, hourlyCsat, hourlyEventTotals, hourlyEvents } from '../rollup-window';
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
 * Time to first human response and to resolution, bucketed by when the conversation started. Conversation stamps
 * a conversation's first reply from a person (agent reply or correction) with the time since its first hand-off
 * (firstResponseMs; none when it came before any hand-off) and its first resolution with the time since it started
 * (resolutionMs), each with the conversation's start and its first question's topic, plan, page, channel and
 * language, which the filters apply to. A conversation's times count in the bucket it started in, whenever the
 * reply or resolution came. {total:UInt8} = 1 folds every bucket into one row (medians do not add up, so totals
 * are their own query). `times` yields (occurred_at: the conversation's start, kind, ms), filtered.
 */
const responseTimesOver = (times: string) => `
  SELECT
    if({total:UInt8} = 1, '', toString(${BUCKET_SQL})) AS bucket,
    quantileExactInclusiveIf(0.5)(ms, kind = 'first_response') / 1000 AS medianFirstResponseSeconds,
    quantileExactInclusiveIf(0.9)(ms, kind = 'first_response') / 1000 AS p90FirstResponseSeconds,
    quantileExactInclusiveIf(0.5)(ms, kind = 'resolution') / 1000 AS medianResolutionSeconds,
    quantileExactInclusiveIf(0.9)(ms, kind = 'resolution') / 1000 AS p90ResolutionSeconds,
    countIf(kind = 'first_response') AS firstResponses,
    countIf(kind = 'resolution') AS resolutions
  FROM ${times}
  WHERE occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
    AND ({topic:String} = '' OR topic = {topic:String})
    AND ({plan:String} = '' OR plan = {plan:String})
    AND ({page:String} = '' OR page = {page:String})
    AND ({channel:String} = '' OR channel = {channel:String})
    AND ({language:String} = '' OR language = {language:String})
  GROUP BY bucket
  ORDER BY bucket`;

/** From raw events: the stamped firsts, read from their payloads (each once). */
export const RESPONSE_TIMES_SQL = responseTimesOver(`(
    SELECT
      parseDateTime64BestEffortOrZero(JSONExtractString(payload, 'conversationStartedAt'), 3, 'UTC') AS occurred_at,
      if(JSONHas(payload, 'firstResponseMs'), 'first_response', 'resolution') AS kind,
      toUInt64(greatest(0, JSONExtractInt(payload, if(JSONHas(payload, 'firstResponseMs'), 'firstResponseMs', 'resolutionMs')))) AS ms,
      JSONExtractString(payload, 'firstTopic') AS topic,
      JSONExtractString(payload, 'firstPlan') AS plan,
      JSONExtractString(payload, 'firstPage') AS page,
      JSONExtractString(payload, 'firstChannel') AS channel,
      JSONExtractString(payload, 'firstLanguage') AS language
    FROM {database:Identifier}.interaction_events
    WHERE workspace_id = {workspaceId:UUID}
      AND event_type IN ('agent_replied', 'answer_corrected', 'resolved')
      AND occurred_at >= {from:DateTime64(3, 'UTC')}
      AND JSONHas(payload, 'conversationStartedAt')
      AND (JSONHas(payload, 'firstResponseMs') OR JSONHas(payload, 'resolutionMs'))
    LIMIT 1 BY event_id
  )`);

// ---- The same figures from the hourly rollups (bounds in rollup-window's form; `range` = [from, to)). ----------
// A conversation is its id, or for a question outside any conversation the question itself, in both forms.

/**
 * The event-count rows a support query reads: hourly_events (every dimension) when it filters on a dimension,
 * hourly_event_totals (none, far fewer rows) when it does not.
 */
const supportEvents = (filtered: boolean, types: string) =>
  filtered ? hourlyEvents('range', `${types} AND ${DIMENSION_FILTERS}`) : hourlyEventTotals('range', types);

/** SUPPORT_METRICS_SQL without `conversations` (conversationsRollupSql gives it) and CSAT (CSAT_ROLLUP_SQL). */
export const supportCountsRollupSql = (filtered: boolean) => `
  SELECT
    ${BUCKET_SQL.replaceAll('occurred_at', 'hour')} AS bucket,
    sumIf(events, event_type = 'question_asked') AS questions,
    sumIf(events, event_type = 'answer_shown') AS answered,
    sumIf(events, event_type = 'handed_off') AS handedOff,
    sumIf(events, event_type = 'escalated') AS escalatedByCustomer,
    sumIf(events, event_type = 'resolved') AS resolved,
    sumIf(events, event_type = 'answer_rated' AND rating > 0) AS ratedUp,
    sumIf(events, event_type = 'answer_rated' AND rating < 0) AS ratedDown
  FROM ${supportEvents(filtered, "event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated')")}
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

export const conversationsRollupSql = (filtered: boolean) => `
  SELECT ${BUCKET_SQL.replaceAll('occurred_at', 'hour')} AS bucket, uniqExactMerge(contacts) AS conversations
  FROM ${filtered ? hourlyContacts('range', DIMENSION_FILTERS) : hourlyContactTotals('range')}
  GROUP BY bucket
  ORDER BY bucket`;

export const handOffReasonsRollupSql = (filtered: boolean) => `
  SELECT handoff_reason AS reason, sum(events) AS count
  FROM ${supportEvents(filtered, "event_type = 'handed_off'")}
  GROUP BY reason
  ORDER BY count DESC, reason`;

/** RESPONSE_TIMES_SQL from conversation_times (analytics migration 007): one row per stamped first. */
export const RESPONSE_TIMES_ROLLUP_SQL = responseTimesOver(`(
    SELECT started_at AS occurred_at, kind, ms, topic, plan, page, channel, language
      FROM {database:Identifier}.conversation_times
     WHERE workspace_id = {workspaceId:UUID}
       AND started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
  )`);
