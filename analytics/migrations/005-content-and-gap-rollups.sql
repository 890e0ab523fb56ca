-- Rollups for the insights that still scanned a workspace's raw events: stale and uncited content, learned answers
-- still served, and knowledge gaps. Like migration 003's, they hang off interaction_events, which the dedup view
-- feeds each event once, so plain sums and copies stay exact.

-- Knowledge and learning lifecycle events (published, updated, archived, flagged stale, learned, reverted): a few per
-- item, so a copy of the rows themselves, ordered for "this workspace's events of these types", answers every
-- question about an item's state without reading the workspace's traffic.
CREATE TABLE IF NOT EXISTS {database}.knowledge_lifecycle_events AS {database}.interaction_events
ENGINE = MergeTree
ORDER BY (workspace_id, event_type, knowledge_item_id, occurred_at);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.knowledge_lifecycle_events_mv
TO {database}.knowledge_lifecycle_events
AS SELECT *
FROM {database}.interaction_events
WHERE event_type IN ('knowledge_published', 'knowledge_updated', 'knowledge_archived', 'knowledge_flagged_stale',
                     'learned_answer_created', 'learned_answer_published', 'learning_reverted');

-- Answers citing each item per UTC hour, and the last one: what "served since it was flagged" and "cited in the
-- window" need, whole hours from here and partial ones from raw events.
CREATE TABLE IF NOT EXISTS {database}.hourly_citations
(
    workspace_id      UUID,
    hour              DateTime('UTC'),
    knowledge_item_id String,
    answers           SimpleAggregateFunction(sum, UInt64),
    last_cited_at     SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (workspace_id, hour, knowledge_item_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_citations_mv
TO {database}.hourly_citations
AS SELECT
    workspace_id, toStartOfHour(occurred_at) AS hour, knowledge_item_id,
    toUInt64(count()) AS answers, max(occurred_at) AS last_cited_at
FROM {database}.interaction_events
WHERE event_type = 'answer_shown' AND knowledge_item_id != ''
GROUP BY workspace_id, hour, knowledge_item_id;

-- Questions the AI did not settle (hand-offs and customers asking for a person), per UTC hour, topic and question as
-- the gaps query groups them (case and surrounding space aside), with the smallest spelling seen as its text.
CREATE TABLE IF NOT EXISTS {database}.hourly_gap_questions
(
    workspace_id UUID,
    hour         DateTime('UTC'),
    topic        LowCardinality(String),
    question_key String,
    question     SimpleAggregateFunction(min, String),
    events       SimpleAggregateFunction(sum, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (workspace_id, hour, topic, question_key);

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.hourly_gap_questions_mv
TO {database}.hourly_gap_questions
AS SELECT
    workspace_id, toStartOfHour(occurred_at) AS hour, topic, lower(trimBoth(text)) AS question_key,
    min(text) AS question, toUInt64(count()) AS events
FROM {database}.interaction_events
WHERE event_type IN ('handed_off', 'escalated') AND text != ''
GROUP BY workspace_id, hour, topic, question_key;

-- Backfills: what interaction_events already holds, each event once (FINAL), only into an empty table, so a rerun
-- of this file after a failure further down adds nothing twice.
INSERT INTO {database}.knowledge_lifecycle_events
SELECT * FROM {database}.interaction_events FINAL
WHERE event_type IN ('knowledge_published', 'knowledge_updated', 'knowledge_archived', 'knowledge_flagged_stale',
                     'learned_answer_created', 'learned_answer_published', 'learning_reverted')
  AND (SELECT count() FROM {database}.knowledge_lifecycle_events) = 0;

INSERT INTO {database}.hourly_citations
SELECT workspace_id, toStartOfHour(occurred_at) AS hour, knowledge_item_id, toUInt64(count()) AS answers, max(occurred_at) AS last_cited_at
FROM {database}.interaction_events FINAL
WHERE event_type = 'answer_shown' AND knowledge_item_id != '' AND (SELECT count() FROM {database}.hourly_citations) = 0
GROUP BY workspace_id, hour, knowledge_item_id;

INSERT INTO {database}.hourly_gap_questions
SELECT workspace_id, toStartOfHour(occurred_at) AS hour, topic, lower(trimBoth(text)) AS question_key,
       min(text) AS question, toUInt64(count()) AS events
FROM {database}.interaction_events FINAL
WHERE event_type IN ('handed_off', 'escalated') AND text != '' AND (SELECT count() FROM {database}.hourly_gap_questions) = 0
GROUP BY workspace_id, hour, topic, question_key;
