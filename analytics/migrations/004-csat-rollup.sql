-- Customer satisfaction (CSAT, a score from 1 to 5 after resolution) per workspace, UTC hour and the dimensions
-- the insights API filters on. hourly_events keeps only a rating's sign, which is all a thumbs rating has; a
-- CSAT score needs its value, so its responses are counted per score here. Exact with plain sums, for the same
-- reason as migration 003's rollups: each event reaches interaction_events once.
CREATE TABLE IF NOT EXISTS {database}.hourly_csat
(
    workspace_id UUID,
    hour         DateTime('UTC'),
    topic        LowCardinality(String),
    plan         LowCardinality(String),
    page         String,
    channel      LowCardinality(String),
    score        Int8,
    responses    UInt64
)
ENGINE = SummingMergeTree(responses)
PARTITION BY toYYYYMM(hour)
ORDER BY (workspace_id, hour, topic, plan, page, channel, score);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_csat_mv
TO {database}.hourly_csat
AS SELECT
    workspace_id, toStartOfHour(occurred_at) AS hour, topic, plan, page, channel,
    rating AS score,
    count() AS responses
FROM {database}.interaction_events
WHERE event_type = 'csat_rated'
GROUP BY workspace_id, hour, topic, plan, page, channel, score;

-- Backfill: CSAT responses interaction_events already holds, each once (FINAL), only into an empty rollup.
INSERT INTO {database}.hourly_csat
SELECT workspace_id, toStartOfHour(occurred_at) AS hour, topic, plan, page, channel, rating AS score, count() AS responses
FROM {database}.interaction_events FINAL
WHERE event_type = 'csat_rated' AND (SELECT count() FROM {database}.hourly_csat) = 0
GROUP BY workspace_id, hour, topic, plan, page, channel, score;
