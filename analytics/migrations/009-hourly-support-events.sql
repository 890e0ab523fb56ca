-- What the support query (services/insights/metrics/support-metrics.queries.ts) counts, per workspace and UTC hour, at
-- the grain of each single filter, in one table. Before, support read hourly_events (or hourly_event_totals),
-- hourly_contacts (or hourly_contact_totals: a uniqExact state of the conversations asking per hour, merged at query
-- time, its slowest part) and hourly_csat in seven queries; a filter on plan, page, topic or channel read
-- hourly_events, whose grain (every dimension together) is close to one row per event.
--
-- Rows keep one dimension (`kept`, a bit: 1 topic, 2 plan, 8 channel; the other dimensions are ''): each support event
-- is written once per dimension, by three views (three small GROUP BYs of an insert block cost less than one ARRAY
-- JOIN into three copies of it). A query with no filter sums the channel rows (a few per hour), one filtering on the
-- topic, the plan or the channel alone reads the rows of its dimension and value: rows per hour and value, however
-- many events. events counts events by type, hand-off reason and score (a CSAT score on csat_rated, a rating's sign
-- otherwise); conversations counts the questions that start a conversation (conversation marks a conversation's later
-- questions followUp: true; a question outside any conversation is one of its own): conversations started, additive,
-- where "distinct conversations asking" needed a uniqExact merge. The page has no rows of its own: pages are many
-- (paths), so their rows would be nearly as many as hourly_events', at the cost of one more view on every insert.
--
-- Rows with kept = 15 keep all four dimensions and hold only the questions that start a conversation: a query
-- filtering on the page or on two dimensions or more counts conversations from them and everything else from
-- hourly_events and hourly_csat, which keep every dimension already. The key puts the kept values and the event type
-- before the hour, so one value (or one type of every value: CSAT by topic) is a few ranges of the index. Exact with
-- plain sums for the same reason as migration 003's rollups: each event reaches interaction_events once.
CREATE TABLE IF NOT EXISTS {database}.hourly_support_events
(
    workspace_id   UUID,
    kept           UInt8 COMMENT 'the dimension the row keeps: 1 topic, 2 plan, 8 channel; 15 all four (conversation starts only)',
    topic          LowCardinality(String),
    plan           LowCardinality(String),
    page           String,
    channel        LowCardinality(String),
    event_type     LowCardinality(String),
    hour           DateTime('UTC'),
    handoff_reason LowCardinality(String),
    score          Int8,
    events         UInt64,
    conversations  UInt64
)
ENGINE = SummingMergeTree((events, conversations))
PARTITION BY toYYYYMM(hour)
ORDER BY (workspace_id, kept, topic, plan, page, channel, event_type, hour, handoff_reason, score);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_support_events_by_topic_mv
TO {database}.hourly_support_events
AS SELECT
    workspace_id, toUInt8(1) AS kept,
    topic, '' AS plan, '' AS page, '' AS channel,
    event_type, toStartOfHour(occurred_at) AS hour,
    handoff_reason,
    toInt8(if(event_type = 'csat_rated', rating, sign(rating))) AS score,
    count() AS events,
    countIf(event_type = 'question_asked' AND (conversation_id = '' OR NOT JSONExtractBool(payload, 'followUp'))) AS conversations
FROM {database}.interaction_events
WHERE event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated')
GROUP BY workspace_id, kept, topic, plan, page, channel, event_type, hour, handoff_reason, score;

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_support_events_by_plan_mv
TO {database}.hourly_support_events
AS SELECT
    workspace_id, toUInt8(2) AS kept,
    '' AS topic, plan, '' AS page, '' AS channel,
    event_type, toStartOfHour(occurred_at) AS hour,
    handoff_reason,
    toInt8(if(event_type = 'csat_rated', rating, sign(rating))) AS score,
    count() AS events,
    countIf(event_type = 'question_asked' AND (conversation_id = '' OR NOT JSONExtractBool(payload, 'followUp'))) AS conversations
FROM {database}.interaction_events
WHERE event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated')
GROUP BY workspace_id, kept, topic, plan, page, channel, event_type, hour, handoff_reason, score;


CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_support_events_by_channel_mv
TO {database}.hourly_support_events
AS SELECT
    workspace_id, toUInt8(8) AS kept,
    '' AS topic, '' AS plan, '' AS page, channel,
    event_type, toStartOfHour(occurred_at) AS hour,
    handoff_reason,
    toInt8(if(event_type = 'csat_rated', rating, sign(rating))) AS score,
    count() AS events,
    countIf(event_type = 'question_asked' AND (conversation_id = '' OR NOT JSONExtractBool(payload, 'followUp'))) AS conversations
FROM {database}.interaction_events
WHERE event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated')
GROUP BY workspace_id, kept, topic, plan, page, channel, event_type, hour, handoff_reason, score;

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_support_events_starts_mv
TO {database}.hourly_support_events
AS SELECT
    workspace_id, toUInt8(15) AS kept, topic, plan, page, channel,
    event_type, toStartOfHour(occurred_at) AS hour, handoff_reason, toInt8(0) AS score,
    count() AS events,
    count() AS conversations
FROM {database}.interaction_events
WHERE event_type = 'question_asked' AND (conversation_id = '' OR NOT JSONExtractBool(payload, 'followUp'))
GROUP BY workspace_id, kept, topic, plan, page, channel, event_type, hour, handoff_reason, score;

-- Backfill: what interaction_events already holds, each event once (FINAL), only into an empty table, so a rerun of
-- this file adds nothing twice.
INSERT INTO {database}.hourly_support_events
SELECT
    workspace_id, toUInt8(1) AS kept,
    topic, '' AS plan, '' AS page, '' AS channel,
    event_type, toStartOfHour(occurred_at) AS hour,
    handoff_reason,
    toInt8(if(event_type = 'csat_rated', rating, sign(rating))) AS score,
    count() AS events,
    countIf(event_type = 'question_asked' AND (conversation_id = '' OR NOT JSONExtractBool(payload, 'followUp'))) AS conversations
FROM {database}.interaction_events FINAL
WHERE event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated')
  AND (SELECT count() FROM {database}.hourly_support_events) = 0
GROUP BY workspace_id, kept, topic, plan, page, channel, event_type, hour, handoff_reason, score
UNION ALL
SELECT
    workspace_id, toUInt8(2) AS kept,
    '' AS topic, plan, '' AS page, '' AS channel,
    event_type, toStartOfHour(occurred_at) AS hour,
    handoff_reason,
    toInt8(if(event_type = 'csat_rated', rating, sign(rating))) AS score,
    count() AS events,
    countIf(event_type = 'question_asked' AND (conversation_id = '' OR NOT JSONExtractBool(payload, 'followUp'))) AS conversations
FROM {database}.interaction_events FINAL
WHERE event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated')
  AND (SELECT count() FROM {database}.hourly_support_events) = 0
GROUP BY workspace_id, kept, topic, plan, page, channel, event_type, hour, handoff_reason, score
UNION ALL
SELECT
    workspace_id, toUInt8(8) AS kept,
    '' AS topic, '' AS plan, '' AS page, channel,
    event_type, toStartOfHour(occurred_at) AS hour,
    handoff_reason,
    toInt8(if(event_type = 'csat_rated', rating, sign(rating))) AS score,
    count() AS events,
    countIf(event_type = 'question_asked' AND (conversation_id = '' OR NOT JSONExtractBool(payload, 'followUp'))) AS conversations
FROM {database}.interaction_events FINAL
WHERE event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated')
  AND (SELECT count() FROM {database}.hourly_support_events) = 0
GROUP BY workspace_id, kept, topic, plan, page, channel, event_type, hour, handoff_reason, score
UNION ALL
SELECT
    workspace_id, toUInt8(15) AS kept, topic, plan, page, channel,
    event_type, toStartOfHour(occurred_at) AS hour, handoff_reason, toInt8(0) AS score,
    count() AS events,
    count() AS conversations
FROM {database}.interaction_events FINAL
WHERE event_type = 'question_asked' AND (conversation_id = '' OR NOT JSONExtractBool(payload, 'followUp'))
  AND (SELECT count() FROM {database}.hourly_support_events) = 0
GROUP BY workspace_id, kept, topic, plan, page, channel, event_type, hour, handoff_reason, score;

-- hourly_contact_totals (008) kept a uniqExact state of the conversations asking per hour for support's conversation
-- count, which now sums the conversations started here; nothing else reads it, so it goes, and each insert runs one
-- view fewer. (hourly_contacts stays: topic spikes count conversations per topic from it.)
DROP VIEW IF EXISTS {database}.hourly_contact_totals_mv;

DROP TABLE IF EXISTS {database}.hourly_contact_totals;
