-- Two reads that the hourly rollups left slow at 100M events (npm run bench:warehouse):
--
-- Friction points (services/insights/learning/learning-curve.queries.ts) sum the signals that a customer was not
-- helped per topic, plan and page over a range, with no time buckets. They read hourly_events, whose grain keeps the
-- page and is close to one row per event (81M rows for 100M events); the largest workspace's 30 days were 578k rows,
-- 26 weeks 3.5M. daily_friction keeps only friction's event types and columns per UTC day: 5.5 times fewer rows over
-- 30 days. A range reads whole UTC days from here, the whole hours before its first midnight and after its last from
-- hourly_events, and its partial hours from raw events (services/insights/rollup-window.ts), so any instant still cuts
-- exactly. Exact with plain sums for the same reason as migration 003's rollups: each event reaches
-- interaction_events once.
--
-- Stale content still served (services/insights/content/stale-content.queries.ts) counts the answers that cited each
-- stale item since its flag. hourly_citations is ordered by hour, so a few items' citations meant reading every
-- item's hours since the earliest flag, and the hour of each flag came from raw events. item_citations keeps one row
-- per citing answer, ordered by item and time: a stale item's answers since its flag are one range of the index, to
-- the millisecond, with no raw part.
--
-- Uncited content lists the live items no answer cited in a window (30 days by default): the items cited per hour
-- in hourly_citations were 350k rows for the largest workspace. daily_citations keeps them per UTC day (an item's
-- answers and latest citation), read like daily_friction: whole days here, the hours around them hourly, partial
-- hours raw.
CREATE TABLE IF NOT EXISTS {database}.daily_friction
(
    workspace_id UUID,
    day          DateTime('UTC') COMMENT 'start of the UTC day',
    event_type   LowCardinality(String),
    topic        LowCardinality(String),
    plan         LowCardinality(String),
    page         String,
    rating       Int8 COMMENT 'the sign of an answer rating; 0 otherwise',
    events       UInt64
)
ENGINE = SummingMergeTree(events)
PARTITION BY toYYYYMM(day)
ORDER BY (workspace_id, day, event_type, topic, plan, page, rating);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.daily_friction_mv
TO {database}.daily_friction
AS SELECT
    workspace_id, toStartOfDay(occurred_at) AS day, event_type, topic, plan, page,
    toInt8(sign(rating)) AS rating,
    count() AS events
FROM {database}.interaction_events
WHERE event_type IN ('outcome_repeat_contact', 'answer_rated', 'handed_off', 'escalated', 'dropped_off')
GROUP BY workspace_id, day, event_type, topic, plan, page, rating;

CREATE TABLE IF NOT EXISTS {database}.item_citations
(
    workspace_id      UUID,
    knowledge_item_id String,
    occurred_at       DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (workspace_id, knowledge_item_id, occurred_at);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.item_citations_mv
TO {database}.item_citations
AS SELECT workspace_id, knowledge_item_id, occurred_at
FROM {database}.interaction_events
WHERE event_type = 'answer_shown' AND knowledge_item_id != '';

CREATE TABLE IF NOT EXISTS {database}.daily_citations
(
    workspace_id      UUID,
    day               DateTime('UTC') COMMENT 'start of the UTC day',
    knowledge_item_id String,
    answers           SimpleAggregateFunction(sum, UInt64),
    last_cited_at     SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (workspace_id, day, knowledge_item_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.daily_citations_mv
TO {database}.daily_citations
AS SELECT
    workspace_id, toStartOfDay(occurred_at) AS day, knowledge_item_id,
    toUInt64(count()) AS answers, max(occurred_at) AS last_cited_at
FROM {database}.interaction_events
WHERE event_type = 'answer_shown' AND knowledge_item_id != ''
GROUP BY workspace_id, day, knowledge_item_id;

INSERT INTO {database}.daily_friction
SELECT workspace_id, toStartOfDay(occurred_at) AS day, event_type, topic, plan, page, toInt8(sign(rating)) AS rating, count() AS events
FROM {database}.interaction_events FINAL
WHERE event_type IN ('outcome_repeat_contact', 'answer_rated', 'handed_off', 'escalated', 'dropped_off')
  AND (SELECT count() FROM {database}.daily_friction) = 0
GROUP BY workspace_id, day, event_type, topic, plan, page, rating;

INSERT INTO {database}.item_citations
SELECT workspace_id, knowledge_item_id, occurred_at
FROM {database}.interaction_events FINAL
WHERE event_type = 'answer_shown' AND knowledge_item_id != ''
  AND (SELECT count() FROM {database}.item_citations) = 0;

INSERT INTO {database}.daily_citations
SELECT workspace_id, toStartOfDay(occurred_at) AS day, knowledge_item_id, toUInt64(count()) AS answers, max(occurred_at) AS last_cited_at
FROM {database}.interaction_events FINAL
WHERE event_type = 'answer_shown' AND knowledge_item_id != '' AND (SELECT count() FROM {database}.daily_citations) = 0
GROUP BY workspace_id, day, knowledge_item_id;
