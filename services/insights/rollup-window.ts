/**
 * When and how a query reads the hourly rollups (analytics migration 003) instead of raw events.
 *
 * A range [from, to) splits into whole UTC hours, read from a rollup, and at most two partial hours at its ends,
 * read from raw events and aggregated to the same shape, so any instant cuts exactly. Buckets in a time zone are
 * unions of UTC hours only where the zone's offset is a whole number of hours; elsewhere (India, Nepal, parts
 * of Australia) a bucketed query reads raw events. Each SQL fragment here yields the rows of one rollup for a
 * range whose bounds are bound as `{<name>From}`, `{<name>To}`, `{<name>BodyFrom}`, `{<name>BodyTo}`.
 */
import { toClickHouseTime } from './time-range';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Where a service reads from: the rollups wherever they can answer (the default), or raw events only (the
 * reference the rollups are tested against, and a way to rule them out when something looks wrong).
 */
export type ReadFrom = 'rollups' | 'raw';

/**
 * Bound parameters for one range, named after it. A daily rollup (one that needs no time bucket) reads the whole UTC
 * days of the body, `{<name>DaysFrom}` to `{<name>DaysTo}`, and an hourly one the hours around them.
 */
export function rollupRange(name: string, from: Date, to: Date): Record<string, string> {
  let bodyFrom = Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS;
  let bodyTo = Math.floor(to.getTime() / HOUR_MS) * HOUR_MS;
  // A range inside one hour has no whole hour: all of it is read raw.
  if (bodyFrom >= bodyTo) bodyFrom = bodyTo = to.getTime();
  let daysFrom = Math.ceil(bodyFrom / DAY_MS) * DAY_MS;
  let daysTo = Math.floor(bodyTo / DAY_MS) * DAY_MS;
  // A body without a whole UTC day is read by the hour.
  if (daysFrom >= daysTo) daysFrom = daysTo = bodyTo;
  const second = (ms: number) => toClickHouseTime(new Date(ms)).slice(0, 19);
  return {
    [`${name}From`]: toClickHouseTime(from),
    [`${name}To`]: toClickHouseTime(to),
    [`${name}BodyFrom`]: second(bodyFrom),
    [`${name}BodyTo`]: second(bodyTo),
    [`${name}DaysFrom`]: second(daysFrom),
    [`${name}DaysTo`]: second(daysTo),
  };
}

export const isWholeHour = (date: Date) => date.getTime() % HOUR_MS === 0;

/**
 * Whether every day, week and month boundary of the zone between `from` and `to` falls on a UTC hour: its
 * offset is a whole number of hours at the ends and at each solstice between (offset changes in use today move
 * by whole hours, except Lord Howe Island's half hour, which the solstices catch).
 */
export function cutsOnHours(timeZone: string, from: Date, to: Date): boolean {
  const instants = [from, to];
  for (let year = from.getUTCFullYear(); year <= to.getUTCFullYear(); year++) {
    instants.push(new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year, 5, 21)), new Date(Date.UTC(year, 11, 21)));
  }
  return instants.every((instant) => offsetMinutes(timeZone, instant) % 60 === 0);
}

function offsetMinutes(timeZone: string, instant: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
    .formatToParts(instant)
    .reduce<Record<string, number>>((acc, part) => (part.type === 'literal' ? acc : { ...acc, [part.type]: Number(part.value) }), {});
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  return Math.round((local - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/** The raw-event part of a range: its partial hours at both ends. */
const rawEdges = (name: string) => `workspace_id = {workspaceId:UUID}
       AND ((occurred_at >= {${name}From:DateTime64(3, 'UTC')} AND occurred_at < {${name}BodyFrom:DateTime('UTC')})
         OR (occurred_at >= {${name}BodyTo:DateTime('UTC')} AND occurred_at < {${name}To:DateTime64(3, 'UTC')}))`;

const rollupBody = (name: string) => `workspace_id = {workspaceId:UUID}
       AND hour >= {${name}BodyFrom:DateTime('UTC')} AND hour < {${name}BodyTo:DateTime('UTC')}`;

/** The whole hours of the body before its first whole UTC day and after its last (all of them without one). */
const hoursAroundDays = (name: string) => `workspace_id = {workspaceId:UUID}
       AND ((hour >= {${name}BodyFrom:DateTime('UTC')} AND hour < {${name}DaysFrom:DateTime('UTC')})
         OR (hour >= {${name}DaysTo:DateTime('UTC')} AND hour < {${name}BodyTo:DateTime('UTC')}))`;

const hourOf = `toDateTime(toStartOfHour(occurred_at), 'UTC')`;

/** The dimensions the per-dimension rollups keep; the totals (migration 008) keep none of them. */
const DIMENSIONS = 'topic, plan, page, channel, ';

/**
 * Event counts from `table`, keeping `dimensions`: (hour, event_type, [dimensions,] handoff_reason, rating, direction,
 * events). `body` picks the table's hours (default: all of the range's whole hours).
 */
const eventCounts = (table: string, dimensions: string) => (name: string, where = '1', body = rollupBody(name)) => `(
    SELECT hour, event_type, ${dimensions}handoff_reason, rating, direction, events
      FROM {database:Identifier}.${table}
     WHERE ${body} AND ${where}
    UNION ALL
    SELECT ${hourOf} AS hour, event_type, ${dimensions}handoff_reason,
           toInt8(sign(rating)) AS rating,
           toInt8(if(event_type = 'threshold_moved', sign(JSONExtractFloat(payload, 'after') - JSONExtractFloat(payload, 'before')), 0)) AS direction,
           toUInt64(uniqExact(event_id)) AS events
      FROM {database:Identifier}.interaction_events
     WHERE ${rawEdges(name)} AND ${where}
     GROUP BY hour, event_type, ${dimensions}handoff_reason, rating, direction
  )`;

/** Contacts asking, from `table`, keeping `dimensions`: (hour, [dimensions,] contacts uniqExact state). */
const contactCounts = (table: string, dimensions: string) => (name: string, where = '1') => `(
    SELECT hour, ${dimensions}contacts
      FROM {database:Identifier}.${table}
     WHERE ${rollupBody(name)} AND ${where}
    UNION ALL
    SELECT ${hourOf} AS hour, ${dimensions}uniqExactState(if(conversation_id != '', conversation_id, toString(event_id))) AS contacts
      FROM {database:Identifier}.interaction_events
     WHERE ${rawEdges(name)} AND event_type = 'question_asked' AND ${where}
     GROUP BY hour${dimensions ? `, ${dimensions.slice(0, -2)}` : ''}
  )`;

/** Rows of hourly_events: (hour, event_type, topic, plan, page, channel, handoff_reason, rating, direction, events). */
export const hourlyEvents = eventCounts('hourly_events', DIMENSIONS);

/**
 * Rows of hourly_event_totals (analytics migration 008): hourly_events without topic, plan, page and channel, for
 * queries that filter on none of them. (hour, event_type, handoff_reason, rating, direction, events).
 */
export const hourlyEventTotals = eventCounts('hourly_event_totals', '');

/**
 * Friction's signals (analytics migration 010): (event_type, topic, plan, page, rating sign, events) over the range,
 * with no time: whole UTC days from daily_friction, the hours around them from hourly_events, partial hours raw.
 * `where` may filter on the event type, topic, plan and page.
 */
export const dailyFriction = (name: string, where = '1') => `(
    SELECT event_type, topic, plan, page, rating, events
      FROM {database:Identifier}.daily_friction
     WHERE workspace_id = {workspaceId:UUID}
       AND day >= {${name}DaysFrom:DateTime('UTC')} AND day < {${name}DaysTo:DateTime('UTC')} AND ${where}
    UNION ALL
    SELECT event_type, topic, plan, page, rating, events
      FROM ${hourlyEvents(name, where, hoursAroundDays(name))}
  )`;

/** Rows of hourly_contacts: (hour, topic, plan, page, channel, contacts uniqExact state). */
export const hourlyContacts = contactCounts('hourly_contacts', DIMENSIONS);

/** Rows of hourly_csat (analytics migration 004): (hour, topic, plan, page, channel, score, responses). */
export const hourlyCsat = (name: string, where = '1') => `(
    SELECT hour, topic, plan, page, channel, score, responses
      FROM {database:Identifier}.hourly_csat
     WHERE ${rollupBody(name)} AND ${where}
    UNION ALL
    SELECT ${hourOf} AS hour, topic, plan, page, channel, rating AS score, toUInt64(uniqExact(event_id)) AS responses
      FROM {database:Identifier}.interaction_events
     WHERE ${rawEdges(name)} AND event_type = 'csat_rated' AND ${where}
     GROUP BY hour, topic, plan, page, channel, score
  )`;

/**
 * A question that starts a conversation: conversation marks each later question of one `followUp: true` (in the
 * payload); a question outside any conversation is one of its own. Raw events and hourly_support_events agree on it.
 */
export const CONVERSATION_START_SQL = `event_type = 'question_asked' AND (conversation_id = '' OR NOT JSONExtractBool(payload, 'followUp'))`;

/** The event types hourly_support_events counts. */
const SUPPORT_TYPES = `('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated')`;

/**
 * Rows of hourly_support_events (analytics migration 009) that keep `kept` (1 topic, 2 plan, 8 channel; 15 all
 * four, conversation starts only): (hour, kept_topic, measure, handoff_reason, score, events, conversations),
 * kept_topic '' unless the rows keep the topic. measure is the event type; score a CSAT score or a rating's sign;
 * conversations the questions among `events` that start a conversation. `where` may filter on topic, plan, page and
 * channel, but only on dimensions the rows keep (the others are '' in the rollup). `edges` false leaves out the
 * raw-event part, for a range whose ends are both whole hours (it has no partial hours; each read of a table costs a
 * few milliseconds even when it finds nothing).
 */
export const hourlySupportEvents = (name: string, kept: number, where = '1', edges = true) => `(
    SELECT hour, topic AS kept_topic, event_type AS measure, handoff_reason, score, events, conversations
      FROM {database:Identifier}.hourly_support_events
     WHERE ${rollupBody(name)} AND kept = ${kept} AND ${where}${edges ? `
    UNION ALL
    SELECT ${hourOf} AS hour, ${kept === 1 ? 'toString(topic)' : "''"} AS edge_topic, event_type, handoff_reason,
           toInt8(if(event_type = 'csat_rated', rating, sign(rating))) AS edge_score,
           toUInt64(uniqExact(event_id)) AS events, toUInt64(uniqExactIf(event_id, ${CONVERSATION_START_SQL})) AS conversations
      FROM {database:Identifier}.interaction_events
     WHERE ${rawEdges(name)} AND ${kept === 15 ? CONVERSATION_START_SQL : `event_type IN ${SUPPORT_TYPES}`} AND ${where}
     GROUP BY hour, edge_topic, event_type, handoff_reason, edge_score` : ''}
  )`;

/**
 * The items answers cited in the range (analytics migration 010): whole UTC days from daily_citations, the hours
 * around them from hourly_citations, partial hours raw; (knowledge_item_id), an item once per source it is in.
 */
export const itemsCitedIn = (name: string) => `(
    SELECT DISTINCT knowledge_item_id
      FROM {database:Identifier}.daily_citations
     WHERE workspace_id = {workspaceId:UUID}
       AND day >= {${name}DaysFrom:DateTime('UTC')} AND day < {${name}DaysTo:DateTime('UTC')}
    UNION ALL
    SELECT DISTINCT knowledge_item_id
      FROM {database:Identifier}.hourly_citations
     WHERE ${hoursAroundDays(name)}
    UNION ALL
    SELECT DISTINCT knowledge_item_id
      FROM {database:Identifier}.interaction_events
     WHERE ${rawEdges(name)} AND event_type = 'answer_shown' AND knowledge_item_id != ''
  )`;

/** Rows of hourly_gap_questions (analytics migration 005): (hour, topic, question_key, question, events). */
export const hourlyGapQuestions = (name: string, where = '1') => `(
    SELECT hour, topic, question_key, question, events
      FROM {database:Identifier}.hourly_gap_questions
     WHERE ${rollupBody(name)} AND ${where}
    UNION ALL
    SELECT ${hourOf} AS hour, topic, lower(trimBoth(text)) AS question_key, min(text) AS question, toUInt64(uniqExact(event_id)) AS events
      FROM {database:Identifier}.interaction_events
     WHERE ${rawEdges(name)} AND event_type IN ('handed_off', 'escalated') AND text != '' AND ${where}
     GROUP BY hour, topic, question_key
  )`;
