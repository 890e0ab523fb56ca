/**
 * Support figures per time bucket, in the workspace's time zone. Exact counts use uniqExact(event_id): the relay
 * delivers at least once. Filters use '' for "any". Event-level filters apply to the events that carry the field
 * (plan, page and language are on questions, answers and hand-offs; topic on nearly everything). The language is
 * in the event's payload (conversation records it since languages are detected), not a column of its own.
 * `conversations` counts the conversations started in a bucket (their first question, CONVERSATION_START_SQL), with
 * the filters applied to that question: additive, so a rollup sums it.
 */
import { CONVERSATION_START_SQL, hourlyCsat, hourlyEvents, hourlySupportEvents } from '../rollup-window';
import { BUCKET_SQL } from '../time-range';

/** The API's filters, on any row that has these columns (raw events, hourly_support_events, hourly_csat). */
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
    uniqExactIf(event_id, ${CONVERSATION_START_SQL}) AS conversations
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
 * reply or resolution came. One row per kind ('first_response', 'resolution') and scope: `levels` the median and
 * the 90th percentile in ms (exact, interpolated), `n` how many. Exact quantiles over every conversation in the
 * range are the costly part of support figures (each value is kept and sorted), and medians do not add up, so
 * `scope` says which are computed: the range's (total = 1, bucket ''), each bucket's (total = 0), or both in one
 * pass (GROUPING SETS; grouping() is 1 for the set without the bucket). `times` yields (occurred_at: the
 * conversation's start, kind, ms), filtered.
 */
export type TimesScope = 'range' | 'buckets' | 'both';

const TIMES_GROUPING: Record<TimesScope, { bucket: string; total: string; groupBy: string }> = {
  range: { bucket: "''", total: '1', groupBy: 'kind' },
  buckets: { bucket: `toString(${BUCKET_SQL})`, total: '0', groupBy: 'bucket, kind' },
  both: { bucket: `toString(${BUCKET_SQL})`, total: 'grouping(bucket)', groupBy: 'GROUPING SETS ((bucket, kind), (kind))' },
};

const responseTimesOver = (times: string) => (scope: TimesScope) => `
  SELECT
    ${TIMES_GROUPING[scope].bucket} AS bucket,
    ${TIMES_GROUPING[scope].total} AS total,
    kind,
    quantilesExactInclusive(0.5, 0.9)(ms) AS levels,
    count() AS n
  FROM ${times}
  WHERE occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
    AND ({topic:String} = '' OR topic = {topic:String})
    AND ({plan:String} = '' OR plan = {plan:String})
    AND ({page:String} = '' OR page = {page:String})
    AND ({channel:String} = '' OR channel = {channel:String})
    AND ({language:String} = '' OR language = {language:String})
  GROUP BY ${TIMES_GROUPING[scope].groupBy}`;

/** From raw events: the stamped firsts, read from their payloads (each once). */
export const responseTimesSql = responseTimesOver(`(
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

/** The dimension each row of hourly_support_events keeps (analytics migration 009); ALL_KEPT: all four. */
const KEPT_BITS = { topic: 1, plan: 2, channel: 8 } as const;
const ALL_KEPT = 15;

type Filters = Partial<Record<'topic' | 'plan' | 'page' | 'channel', string>>;

/**
 * The rows of hourly_support_events a query with these filters reads: with one filter on the topic, the plan or the
 * channel those keeping its dimension; with none the channel's (a few values; summed over them); with a page filter
 * or two filters or more ALL_KEPT (conversation starts only; the other counts come from hourly_events).
 */
function keptFor(filters: Filters): number {
  const filtered = (['topic', 'plan', 'page', 'channel'] as const).filter((dimension) => filters[dimension]);
  if (filtered.length === 0) return KEPT_BITS.channel;
  const [only] = filtered;
  return filtered.length === 1 && only !== 'page' ? KEPT_BITS[only!] : ALL_KEPT;
}

const HOUR_BUCKET_SQL = BUCKET_SQL.replaceAll('occurred_at', 'hour');

/** hourly_events' support types: CSAT scores come from hourly_csat (hourly_events keeps a rating's sign only). */
const SUPPORT_TYPES_BUT_CSAT = `event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated')`;

/**
 * SUPPORT_METRICS_SQL, HAND_OFF_REASONS_SQL and CSAT_BY_TOPIC_SQL in one query, summed per (kind, bucket, topic,
 * measure, handoff_reason, score) — a few rows per bucket, which the service folds into counts and reasons:
 *   'count': per bucket (bucket '' without `bucketed`: a zone whose days are not unions of UTC hours, whose counts
 *            come from raw events), events (n) and conversations started (c) per event type, hand-off reason and
 *            score. With no filter or one on the topic, plan or channel all from hourly_support_events (keptFor);
 *            with a page filter or two filters or more, events from hourly_events and hourly_csat (which keep every
 *            dimension) and conversations from the starts.
 *   'csat_topic': per topic, CSAT responses per score: from the rows keeping the topic when the filter is none or
 *            the topic, else from hourly_csat.
 * `edges` false: the range's ends are whole hours, so hourly_support_events' rows need no raw events.
 */
export function supportRollupSql(filters: Filters, { bucketed, edges }: { bucketed: boolean; edges: boolean }): string {
  const kept = keptFor(filters);
  const bucket = bucketed ? `toString(${HOUR_BUCKET_SQL})` : "''";
  const counts =
    kept === ALL_KEPT
      ? `
    SELECT 'count' AS kind, ${bucket} AS bucket, '' AS topic, toString(event_type) AS measure, handoff_reason, rating AS score, sum(events) AS n, toUInt64(0) AS c
      FROM ${hourlyEvents('range', `${SUPPORT_TYPES_BUT_CSAT} AND ${DIMENSION_FILTERS}`)}
     GROUP BY bucket, measure, handoff_reason, score
    UNION ALL
    SELECT 'count', ${bucket} AS bucket, '', 'csat_rated', '', score, sum(responses), toUInt64(0)
      FROM ${hourlyCsat('range', DIMENSION_FILTERS)}
     GROUP BY bucket, score
    UNION ALL
    SELECT 'count', ${bucket} AS bucket, '', '', '', toInt8(0), toUInt64(0), sum(conversations)
      FROM ${hourlySupportEvents('range', ALL_KEPT, DIMENSION_FILTERS, edges)}
     GROUP BY bucket`
      : `
    SELECT 'count' AS kind, ${bucket} AS bucket, '' AS topic, toString(measure) AS measure, handoff_reason, score, sum(events) AS n, sum(conversations) AS c
      FROM ${hourlySupportEvents('range', kept, DIMENSION_FILTERS, edges)}
     GROUP BY bucket, measure, handoff_reason, score`;
  const csatByTopic = !filters.plan && !filters.page && !filters.channel
    ? `SELECT 'csat_topic', '', kept_topic, 'csat_rated', '', score, sum(events), toUInt64(0)
      FROM ${hourlySupportEvents('range', KEPT_BITS.topic, DIMENSION_FILTERS, edges)}
     WHERE measure = 'csat_rated'
     GROUP BY kept_topic, score`
    : `SELECT 'csat_topic', '', topic, 'csat_rated', '', score, sum(responses), toUInt64(0)
      FROM ${hourlyCsat('range', DIMENSION_FILTERS)}
     GROUP BY topic, score`;
  return `${counts}
    UNION ALL
    ${csatByTopic}`;
}

/** responseTimesSql from conversation_times (analytics migration 007): one row per stamped first. */
export const responseTimesRollupSql = responseTimesOver(`(
    SELECT started_at AS occurred_at, kind, ms, topic, plan, page, channel, language
      FROM {database:Identifier}.conversation_times
     WHERE workspace_id = {workspaceId:UUID}
       AND started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
  )`);
