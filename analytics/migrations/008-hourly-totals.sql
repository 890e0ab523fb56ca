-- The hourly rollups' grain (topic × plan × page × channel × type …) is close to one row per event at a busy
-- workspace's hourly volume: bench:warehouse's 10M events gave hourly_events 9.3M rows and hourly_contacts 3.9M. So
-- a query with no dimension filter read nearly as many rows as raw events. These keep only what such a query
-- needs, per workspace and UTC hour: event counts by type (with hand-off reason, rating sign and threshold
-- direction) and the contacts asking. Exact for the same reason as 003's: each event reaches them once.
CREATE TABLE IF NOT EXISTS {database}.hourly_event_totals
(
    workspace_id   UUID,
    hour           DateTime('UTC'),
    event_type     LowCardinality(String),
    handoff_reason LowCardinality(String),
    rating         Int8,
    direction      Int8,
    events         UInt64
)
ENGINE = SummingMergeTree(events)
PARTITION BY toYYYYMM(hour)
ORDER BY (workspace_id, hour, event_type, handoff_reason, rating, direction);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_event_totals_mv
TO {database}.hourly_event_totals
AS SELECT
    workspace_id,
    toStartOfHour(occurred_at) AS hour,
    event_type, handoff_reason,
    toInt8(sign(rating)) AS rating,
    toInt8(if(event_type = 'threshold_moved', sign(JSONExtractFloat(payload, 'after') - JSONExtractFloat(payload, 'before')), 0)) AS direction,
    count() AS events
FROM {database}.interaction_events
GROUP BY workspace_id, hour, event_type, handoff_reason, rating, direction;

CREATE TABLE IF NOT EXISTS {database}.hourly_contact_totals
(
    workspace_id UUID,
    hour         DateTime('UTC'),
    contacts     AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (workspace_id, hour);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_contact_totals_mv
TO {database}.hourly_contact_totals
AS SELECT
    workspace_id, toStartOfHour(occurred_at) AS hour,
    uniqExactState(if(conversation_id != '', conversation_id, toString(event_id))) AS contacts
FROM {database}.interaction_events
WHERE event_type = 'question_asked'
GROUP BY workspace_id, hour;

-- Backfills from the finer rollups (exact already), only into empty tables, so a rerun adds nothing.
INSERT INTO {database}.hourly_event_totals
SELECT workspace_id, hour, event_type, handoff_reason, rating, direction, sum(events) AS events
FROM {database}.hourly_events
WHERE (SELECT count() FROM {database}.hourly_event_totals) = 0
GROUP BY workspace_id, hour, event_type, handoff_reason, rating, direction;

INSERT INTO {database}.hourly_contact_totals
SELECT workspace_id, hour, uniqExactMergeState(contacts) AS contacts
FROM {database}.hourly_contacts
WHERE (SELECT count() FROM {database}.hourly_contact_totals) = 0
GROUP BY workspace_id, hour;
