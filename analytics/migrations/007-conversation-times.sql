-- Response and resolution times without rebuilding conversations. Conversation now claims each conversation's first
-- reply from a person and its first resolution once, and stamps that event with the conversation's start, the
-- duration (firstResponseMs from the first hand-off, resolutionMs from the start) and the first question's topic,
-- plan, page, channel and language. Each such event becomes one row here, ordered by when its conversation started,
-- so a range's times are a range scan of narrow rows, whatever the conversations' later traffic.
--
-- hourly_conversation_timeline (003) rebuilt every conversation from its events at query time, which grows with the
-- conversations in a range (about a second per million); nothing reads it any more, so it goes, and each insert
-- runs one view fewer. Events recorded before conversations stamped their firsts carry no times.
CREATE TABLE IF NOT EXISTS {database}.conversation_times
(
    workspace_id    UUID,
    started_at      DateTime64(3, 'UTC'),
    conversation_id String,
    kind            LowCardinality(String) COMMENT 'first_response or resolution',
    ms              UInt64,
    topic           LowCardinality(String),
    plan            LowCardinality(String),
    page            String,
    channel         LowCardinality(String),
    language        LowCardinality(String),
    event_id        UUID
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(started_at)
ORDER BY (workspace_id, started_at, kind);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.conversation_times_mv
TO {database}.conversation_times
AS SELECT
    workspace_id,
    parseDateTime64BestEffortOrZero(JSONExtractString(payload, 'conversationStartedAt'), 3, 'UTC') AS started_at,
    conversation_id,
    if(JSONHas(payload, 'firstResponseMs'), 'first_response', 'resolution') AS kind,
    toUInt64(greatest(0, JSONExtractInt(payload, if(JSONHas(payload, 'firstResponseMs'), 'firstResponseMs', 'resolutionMs')))) AS ms,
    JSONExtractString(payload, 'firstTopic') AS topic,
    JSONExtractString(payload, 'firstPlan') AS plan,
    JSONExtractString(payload, 'firstPage') AS page,
    JSONExtractString(payload, 'firstChannel') AS channel,
    JSONExtractString(payload, 'firstLanguage') AS language,
    event_id
FROM {database}.interaction_events
WHERE event_type IN ('agent_replied', 'answer_corrected', 'resolved')
  AND JSONHas(payload, 'conversationStartedAt')
  AND (JSONHas(payload, 'firstResponseMs') OR JSONHas(payload, 'resolutionMs'));

-- No backfill: conversation stamps its firsts from this version on, so no event stored before this table holds one.

DROP VIEW IF EXISTS {database}.hourly_conversation_timeline_mv;

DROP TABLE IF EXISTS {database}.hourly_conversation_timeline;
