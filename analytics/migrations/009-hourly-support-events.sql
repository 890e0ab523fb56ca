-- What the support query (services/insights/metrics/support-metrics.queries.ts) counts, per workspace and UTC hour, in
-- one table and at the coarsest grain each filter allows. Before, it read hourly_events (or hourly_event_totals),
-- hourly_contacts (or hourly_contact_totals: a uniqExact state of conversations per hour, merged at query time, its
-- slowest part) and hourly_csat in seven queries; a filter on plan, page, topic or channel read hourly_events, whose
-- grain (every dimension together) is close to one row per event.
--
-- Each support event is written here once per "kept" set of dimensions (a bit mask: 1 topic, 2 plan, 4 page,
-- 8 channel): 0 (none: the totals), 1, 2, 4 and 8 (one dimension, for a query filtering on it alone) and 15 (all four,
-- for a query filtering on two or more). The dimensions a row does not keep are ''. So a query with no filter or one
-- filter reads rows of its own mask, a few per hour; only a query with several filters reads the full grain. The
-- measure comes before the hour in the key, so one measure of every value of a dimension (CSAT by topic) is a few
-- ranges of the index.
--
-- measure is the event type, or 'conversation_started' for a question that starts a conversation (conversation marks
-- each later question of a conversation followUp: true; a question outside any conversation is one of its own): the
-- conversations started in a bucket, additive, where "distinct conversations asking" needed a uniqExact merge.
-- score is a CSAT score (csat_rated) or a rating's sign; handoff_reason only on hand-offs. Exact with plain sums for
-- the same reason as migration 003's rollups: each event reaches interaction_events once.
CREATE TABLE IF NOT EXISTS {database}.hourly_support_events
(
    workspace_id   UUID,
    kept           UInt8 COMMENT 'the dimensions the row keeps: 1 topic, 2 plan, 4 page, 8 channel (0: none, 15: all)',
    topic          LowCardinality(String),
    plan           LowCardinality(String),
    page           String,
    channel        LowCardinality(String),
    hour           DateTime('UTC'),
    measure        LowCardinality(String) COMMENT 'the event type, or conversation_started',
    handoff_reason LowCardinality(String),
    score          Int8,
    events         UInt64
)
ENGINE = SummingMergeTree(events)
PARTITION BY toYYYYMM(hour)
ORDER BY (workspace_id, kept, topic, plan, page, channel, measure, hour, handoff_reason, score);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_support_events_mv
TO {database}.hourly_support_events
AS SELECT
    workspace_id,
    grain.1 AS kept, grain.2 AS topic, grain.3 AS plan, grain.4 AS page, grain.5 AS channel,
    hour, measure, reason AS handoff_reason, score,
    count() AS events
FROM
(
    SELECT
        workspace_id,
        toStartOfHour(occurred_at) AS hour,
        toString(topic) AS event_topic, toString(plan) AS event_plan, page AS event_page, toString(channel) AS event_channel,
        arrayJoin(if(event_type = 'question_asked' AND (conversation_id = '' OR NOT JSONExtractBool(payload, 'followUp')),
                     ['question_asked', 'conversation_started'], [toString(event_type)])) AS measure,
        if(event_type = 'handed_off', toString(handoff_reason), '') AS reason,
        toInt8(if(event_type = 'csat_rated', rating, sign(rating))) AS score
    FROM {database}.interaction_events
    WHERE event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated')
)
ARRAY JOIN [
    (toUInt8(0), '', '', '', ''),
    (toUInt8(1), event_topic, '', '', ''),
    (toUInt8(2), '', event_plan, '', ''),
    (toUInt8(4), '', '', event_page, ''),
    (toUInt8(8), '', '', '', event_channel),
    (toUInt8(15), event_topic, event_plan, event_page, event_channel)
] AS grain
GROUP BY workspace_id, kept, topic, plan, page, channel, hour, measure, handoff_reason, score;

-- Backfill: the support events interaction_events already holds, each once (FINAL), only into an empty table, so a
-- rerun of this file adds nothing twice.
INSERT INTO {database}.hourly_support_events
SELECT
    workspace_id,
    grain.1 AS kept, grain.2 AS topic, grain.3 AS plan, grain.4 AS page, grain.5 AS channel,
    hour, measure, reason AS handoff_reason, score,
    count() AS events
FROM
(
    SELECT
        workspace_id,
        toStartOfHour(occurred_at) AS hour,
        toString(topic) AS event_topic, toString(plan) AS event_plan, page AS event_page, toString(channel) AS event_channel,
        arrayJoin(if(event_type = 'question_asked' AND (conversation_id = '' OR NOT JSONExtractBool(payload, 'followUp')),
                     ['question_asked', 'conversation_started'], [toString(event_type)])) AS measure,
        if(event_type = 'handed_off', toString(handoff_reason), '') AS reason,
        toInt8(if(event_type = 'csat_rated', rating, sign(rating))) AS score
    FROM {database}.interaction_events FINAL
    WHERE event_type IN ('question_asked', 'answer_shown', 'handed_off', 'escalated', 'resolved', 'answer_rated', 'csat_rated')
      AND (SELECT count() FROM {database}.hourly_support_events) = 0
)
ARRAY JOIN [
    (toUInt8(0), '', '', '', ''),
    (toUInt8(1), event_topic, '', '', ''),
    (toUInt8(2), '', event_plan, '', ''),
    (toUInt8(4), '', '', event_page, ''),
    (toUInt8(8), '', '', '', event_channel),
    (toUInt8(15), event_topic, event_plan, event_page, event_channel)
] AS grain
GROUP BY workspace_id, kept, topic, plan, page, channel, hour, measure, handoff_reason, score;

-- hourly_contact_totals (008) kept a uniqExact state of the conversations asking per hour for support's conversation
-- count, which now reads the conversations started here; nothing else reads it, so it goes, and each insert runs one
-- view fewer. (hourly_contacts stays: topic spikes count conversations per topic from it.)
DROP VIEW IF EXISTS {database}.hourly_contact_totals_mv;

DROP TABLE IF EXISTS {database}.hourly_contact_totals;
