-- Every interaction signal (question asked, answer shown, rating, escalation, correction, …) as one
-- row. The relay delivers at least once, so the same event_id can arrive more than once:
-- ReplacingMergeTree(ingested_at) collapses copies that share the ORDER BY key, which is why event_id
-- is part of it. Collapsing happens at merge time, eventually — never rely on it. Reads that must be
-- exact either select FROM ... FINAL or count uniqExact(event_id), never count().
--
-- Optional references and labels are plain String with '' meaning "absent" (no Nullable columns:
-- cheaper to store and filter, and one rule for every reader). Numbers that an event does not carry
-- are 0: confidence and latency_ms belong to answers, rating to rating events.
CREATE TABLE IF NOT EXISTS {database}.interaction_events
(
    event_id          UUID,
    workspace_id      UUID,
    event_type        LowCardinality(String),
    occurred_at       DateTime64(3, 'UTC'),
    conversation_id   String DEFAULT '',
    message_id        String DEFAULT '',
    customer_id       String DEFAULT '',
    account_id        String DEFAULT '',
    knowledge_item_id String DEFAULT '',
    topic             LowCardinality(String) DEFAULT '',
    page              String DEFAULT '',
    plan              LowCardinality(String) DEFAULT '',
    channel           LowCardinality(String) DEFAULT '',
    decision          LowCardinality(String) DEFAULT '',
    handoff_reason    LowCardinality(String) DEFAULT '',
    confidence        Float32 DEFAULT 0,
    latency_ms        UInt32 DEFAULT 0,
    rating            Int8 DEFAULT 0,
    text              String DEFAULT '',
    payload           String DEFAULT '{}' COMMENT 'JSON object with event-specific details',
    correlation_id    String DEFAULT '',
    ingested_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (workspace_id, occurred_at, event_id);
