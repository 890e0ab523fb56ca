-- Exact rollups need each event exactly once before any materialized view sees it; a view sees every inserted
-- block, and ReplacingMergeTree only collapses copies at merge time, eventually. So events now arrive in
-- interaction_events_ingest (Null engine: stores nothing) and one view forwards to interaction_events only the
-- events it does not hold yet: copies within a block collapse with LIMIT 1 BY, copies of events already stored
-- are looked up by event id among the block's workspaces and time span (a relay batch spans minutes, so the
-- lookup reads a few granules). The views below hang off interaction_events and so count every event once.
--
-- This relies on one event never being in two inserts at the same moment. The relay guarantees it: a batch
-- holds its outbox rows locked (FOR UPDATE SKIP LOCKED) until its insert has returned, and a re-delivery only
-- happens after the insert that came first has finished or failed. interaction_events stays a
-- ReplacingMergeTree, so raw reads with uniqExact(event_id) or FINAL stay exact regardless.
--
-- Migrations run before the relay starts (one process owns the warehouse), so backfills below see a quiet table.
CREATE TABLE IF NOT EXISTS {database}.interaction_events_ingest AS {database}.interaction_events ENGINE = Null;

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.interaction_events_dedup_mv
TO {database}.interaction_events
AS SELECT *
FROM {database}.interaction_events_ingest
WHERE event_id NOT IN (
    SELECT event_id FROM {database}.interaction_events
    WHERE workspace_id IN (SELECT DISTINCT workspace_id FROM {database}.interaction_events_ingest)
      AND occurred_at >= (SELECT min(occurred_at) FROM {database}.interaction_events_ingest)
      AND occurred_at <= (SELECT max(occurred_at) FROM {database}.interaction_events_ingest)
)
LIMIT 1 BY event_id;

-- Event counts per workspace, UTC hour and every dimension the insights API filters or groups on. Hours, not
-- days: a day in any time zone whose offset is a whole number of hours is a union of UTC hours, so one rollup
-- serves every workspace's calendar. rating and direction keep only a sign (up/down ratings, threshold moves
-- towards answering or handing off). Exact with plain sums because each event arrives once (above).
CREATE TABLE IF NOT EXISTS {database}.hourly_events
(
    workspace_id   UUID,
    hour           DateTime('UTC'),
    event_type     LowCardinality(String),
    topic          LowCardinality(String),
    plan           LowCardinality(String),
    page           String,
    channel        LowCardinality(String),
    handoff_reason LowCardinality(String),
    rating         Int8,
    direction      Int8,
    events         UInt64
)
ENGINE = SummingMergeTree(events)
PARTITION BY toYYYYMM(hour)
ORDER BY (workspace_id, hour, event_type, topic, plan, page, channel, handoff_reason, rating, direction);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_events_mv
TO {database}.hourly_events
AS SELECT
    workspace_id,
    toStartOfHour(occurred_at) AS hour,
    event_type, topic, plan, page, channel, handoff_reason,
    toInt8(sign(rating)) AS rating,
    toInt8(if(event_type = 'threshold_moved', sign(JSONExtractFloat(payload, 'after') - JSONExtractFloat(payload, 'before')), 0)) AS direction,
    count() AS events
FROM {database}.interaction_events
GROUP BY workspace_id, hour, event_type, topic, plan, page, channel, handoff_reason, rating, direction;

-- Distinct contacts (a conversation; a question outside any conversation is its own) asking per hour, by the
-- question's dimensions. Distinct counts do not add up across hours, so each hour keeps a uniqExact state and
-- readers merge the states of a bucket.
CREATE TABLE IF NOT EXISTS {database}.hourly_contacts
(
    workspace_id UUID,
    hour         DateTime('UTC'),
    topic        LowCardinality(String),
    plan         LowCardinality(String),
    page         String,
    channel      LowCardinality(String),
    contacts     AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (workspace_id, hour, topic, plan, page, channel);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_contacts_mv
TO {database}.hourly_contacts
AS SELECT
    workspace_id, toStartOfHour(occurred_at) AS hour, topic, plan, page, channel,
    uniqExactState(if(conversation_id != '', conversation_id, toString(event_id))) AS contacts
FROM {database}.interaction_events
WHERE event_type = 'question_asked'
GROUP BY workspace_id, hour, topic, plan, page, channel;

-- Per conversation and hour, what response and resolution times need: the first question (and its topic,
-- plan, page, channel), the first hand-off, the first human reply, the first resolution. Merging a
-- conversation's hours gives its whole timeline; a reader picks the hours of its window.
CREATE TABLE IF NOT EXISTS {database}.hourly_conversation_timeline
(
    workspace_id    UUID,
    hour            DateTime('UTC'),
    conversation_id String,
    started         AggregateFunction(minIf, DateTime64(3, 'UTC'), UInt8),
    questions       SimpleAggregateFunction(sum, UInt64),
    first_topic     AggregateFunction(argMinIf, String, DateTime64(3, 'UTC'), UInt8),
    first_plan      AggregateFunction(argMinIf, String, DateTime64(3, 'UTC'), UInt8),
    first_page      AggregateFunction(argMinIf, String, DateTime64(3, 'UTC'), UInt8),
    first_channel   AggregateFunction(argMinIf, String, DateTime64(3, 'UTC'), UInt8),
    handed_off_at   AggregateFunction(minIf, DateTime64(3, 'UTC'), UInt8),
    hand_offs       SimpleAggregateFunction(sum, UInt64),
    replied_at      AggregateFunction(minIf, DateTime64(3, 'UTC'), UInt8),
    replies         SimpleAggregateFunction(sum, UInt64),
    resolved_at     AggregateFunction(minIf, DateTime64(3, 'UTC'), UInt8),
    resolutions     SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (workspace_id, hour, conversation_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_conversation_timeline_mv
TO {database}.hourly_conversation_timeline
AS SELECT
    workspace_id, toStartOfHour(occurred_at) AS hour, conversation_id,
    minIfState(occurred_at, event_type = 'question_asked') AS started,
    toUInt64(countIf(event_type = 'question_asked')) AS questions,
    argMinIfState(toString(topic), occurred_at, event_type = 'question_asked') AS first_topic,
    argMinIfState(toString(plan), occurred_at, event_type = 'question_asked') AS first_plan,
    argMinIfState(page, occurred_at, event_type = 'question_asked') AS first_page,
    argMinIfState(toString(channel), occurred_at, event_type = 'question_asked') AS first_channel,
    minIfState(occurred_at, event_type IN ('handed_off', 'escalated')) AS handed_off_at,
    toUInt64(countIf(event_type IN ('handed_off', 'escalated'))) AS hand_offs,
    minIfState(occurred_at, event_type IN ('agent_replied', 'answer_corrected')) AS replied_at,
    toUInt64(countIf(event_type IN ('agent_replied', 'answer_corrected'))) AS replies,
    minIfState(occurred_at, event_type = 'resolved') AS resolved_at,
    toUInt64(countIf(event_type = 'resolved')) AS resolutions
FROM {database}.interaction_events
WHERE conversation_id != ''
  AND event_type IN ('question_asked', 'handed_off', 'escalated', 'agent_replied', 'answer_corrected', 'resolved')
GROUP BY workspace_id, hour, conversation_id;

-- Backfills: whatever interaction_events held before this migration, each event once (FINAL), and only into an
-- empty rollup, so a rerun of this file after a failure further down adds nothing twice.
INSERT INTO {database}.hourly_events
SELECT workspace_id, toStartOfHour(occurred_at) AS hour, event_type, topic, plan, page, channel, handoff_reason,
       toInt8(sign(rating)) AS rating,
       toInt8(if(event_type = 'threshold_moved', sign(JSONExtractFloat(payload, 'after') - JSONExtractFloat(payload, 'before')), 0)) AS direction,
       count() AS events
FROM {database}.interaction_events FINAL
WHERE (SELECT count() FROM {database}.hourly_events) = 0
GROUP BY workspace_id, hour, event_type, topic, plan, page, channel, handoff_reason, rating, direction;

INSERT INTO {database}.hourly_contacts
SELECT workspace_id, toStartOfHour(occurred_at) AS hour, topic, plan, page, channel,
       uniqExactState(if(conversation_id != '', conversation_id, toString(event_id))) AS contacts
FROM {database}.interaction_events FINAL
WHERE event_type = 'question_asked' AND (SELECT count() FROM {database}.hourly_contacts) = 0
GROUP BY workspace_id, hour, topic, plan, page, channel;

INSERT INTO {database}.hourly_conversation_timeline
SELECT workspace_id, toStartOfHour(occurred_at) AS hour, conversation_id,
    minIfState(occurred_at, event_type = 'question_asked'),
    toUInt64(countIf(event_type = 'question_asked')),
    argMinIfState(toString(topic), occurred_at, event_type = 'question_asked'),
    argMinIfState(toString(plan), occurred_at, event_type = 'question_asked'),
    argMinIfState(page, occurred_at, event_type = 'question_asked'),
    argMinIfState(toString(channel), occurred_at, event_type = 'question_asked'),
    minIfState(occurred_at, event_type IN ('handed_off', 'escalated')),
    toUInt64(countIf(event_type IN ('handed_off', 'escalated'))),
    minIfState(occurred_at, event_type IN ('agent_replied', 'answer_corrected')),
    toUInt64(countIf(event_type IN ('agent_replied', 'answer_corrected'))),
    minIfState(occurred_at, event_type = 'resolved'),
    toUInt64(countIf(event_type = 'resolved'))
FROM {database}.interaction_events FINAL
WHERE conversation_id != ''
  AND event_type IN ('question_asked', 'handed_off', 'escalated', 'agent_replied', 'answer_corrected', 'resolved')
  AND (SELECT count() FROM {database}.hourly_conversation_timeline) = 0
GROUP BY workspace_id, hour, conversation_id;
