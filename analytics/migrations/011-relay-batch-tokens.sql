-- Re-sending a relay batch must leave every table as if it had arrived once, even when the first attempt was
-- half done. Migration 003's dedup view alone could not promise that:
--   * an insert whose client timed out, or whose Postgres transaction died, may still be running when the relay
--     sends the batch again; neither insert sees the other's rows, both pass the lookup, the rollups count twice;
--   * an insert through a chain of views is not atomic: if one rollup view fails, interaction_events and the views
--     before it keep the block, the resend is then dropped whole by the lookup, and the other rollups stay short.
-- Now every relay batch has a fixed membership and id, kept in Postgres before it is sent (analytics/relay.ts), and
-- each attempt is sent with insert_deduplication_token = that id and deduplicate_blocks_in_dependent_materialized_views
-- = 1. ClickHouse then remembers, per table, the blocks it has already written for that token: a resend writes
-- nothing where the block arrived, and writes exactly the missing block where a view had failed. The token window
-- below is per table, so each rollup view's target needs it too; a table added later must set it in its CREATE.
--
-- The lookup stays for events that reach the warehouse twice in different inserts (inserts without a batch, a
-- batch re-formed after an upgrade), but it lets through the events its own batch already wrote, so a resend forms
-- the same block as the first attempt and the token decides. relay_batch is '' for inserts without a batch.
--
-- Without a token, nothing changes: the views do not deduplicate (deduplicate_blocks_in_dependent_materialized_views
-- is off) and the Null ingest table never does.
ALTER TABLE {database}.interaction_events ADD COLUMN IF NOT EXISTS relay_batch String DEFAULT '';

ALTER TABLE {database}.interaction_events_ingest ADD COLUMN IF NOT EXISTS relay_batch String DEFAULT '';

ALTER TABLE {database}.knowledge_lifecycle_events ADD COLUMN IF NOT EXISTS relay_batch String DEFAULT '';

DROP VIEW IF EXISTS {database}.interaction_events_dedup_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS {database}.interaction_events_dedup_mv
TO {database}.interaction_events
AS SELECT *
FROM {database}.interaction_events_ingest
WHERE event_id NOT IN (
    SELECT event_id FROM {database}.interaction_events
    WHERE workspace_id IN (SELECT DISTINCT workspace_id FROM {database}.interaction_events_ingest)
      AND occurred_at >= (SELECT min(occurred_at) FROM {database}.interaction_events_ingest)
      AND occurred_at <= (SELECT max(occurred_at) FROM {database}.interaction_events_ingest)
      AND (relay_batch = '' OR relay_batch NOT IN (SELECT DISTINCT relay_batch FROM {database}.interaction_events_ingest))
)
LIMIT 1 BY event_id;

-- How many recent insert blocks each table remembers. A batch that failed is sent again before any new batch of its
-- outbox, so a few blocks would do; 10,000 leaves room for every outbox and partition at once.
ALTER TABLE {database}.interaction_events MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE {database}.knowledge_lifecycle_events MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE {database}.hourly_events MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE {database}.hourly_contacts MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE {database}.hourly_csat MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE {database}.hourly_citations MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE {database}.hourly_gap_questions MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE {database}.conversation_times MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE {database}.hourly_event_totals MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE {database}.hourly_support_events MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE {database}.daily_friction MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE {database}.item_citations MODIFY SETTING non_replicated_deduplication_window = 10000;

ALTER TABLE {database}.daily_citations MODIFY SETTING non_replicated_deduplication_window = 10000;
