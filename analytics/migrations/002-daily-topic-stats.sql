-- Daily event counts per workspace, topic and event type, kept current by a materialized view.
--
-- The view runs on each inserted block before ReplacingMergeTree has removed any duplicate, so a
-- re-delivered event reaches it twice. Counting with a uniqExact(event_id) state instead of a
-- running sum makes that harmless: merging the states counts each event id once. Read with
--   SELECT topic, event_type, uniqExactMerge(events) AS events
--   FROM {database}.daily_topic_stats
--   WHERE workspace_id = {workspaceId:UUID} AND day BETWEEN {from:Date} AND {to:Date}
--   GROUP BY topic, event_type
-- (always -Merge with GROUP BY: rows for one key are combined only eventually). This relies on an
-- event never changing its day, topic or type when re-sent; events are immutable facts, so it holds.
-- The state keeps each distinct id (16 bytes), which is cheap at a day's per-topic volume.
-- Days are UTC days.
CREATE TABLE IF NOT EXISTS {database}.daily_topic_stats
(
    workspace_id UUID,
    day          Date,
    topic        LowCardinality(String),
    event_type   LowCardinality(String),
    events       AggregateFunction(uniqExact, UUID)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (workspace_id, day, topic, event_type);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.daily_topic_stats_mv
TO {database}.daily_topic_stats
AS SELECT
    workspace_id,
    toDate(occurred_at) AS day,
    topic,
    event_type,
    uniqExactState(event_id) AS events
FROM {database}.interaction_events
GROUP BY workspace_id, day, topic, event_type;

-- Backfill whatever interaction_events already holds (nothing on a fresh warehouse). Running it
-- again, or overlapping with the view, double-counts nothing for the same uniqExact reason.
INSERT INTO {database}.daily_topic_stats
SELECT
    workspace_id,
    toDate(occurred_at) AS day,
    topic,
    event_type,
    uniqExactState(event_id) AS events
FROM {database}.interaction_events
GROUP BY workspace_id, day, topic, event_type;
