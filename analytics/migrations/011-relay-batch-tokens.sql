-- Re-sending a relay batch must leave every table as if it had arrived once, even when the first attempt was
-- half done. Migration 003's dedup view alone could not promise that:
--   * an insert whose client timed out, or whose Postgres transaction died, may still be running when the relay
--     sends the batch again; neither insert sees the other's rows, both pass the lookup, the rollups count twice;
--   * an insert through a chain of views is not atomic: if one rollup view fails, interaction_events and the views
--     before it keep the block, the resend is then dropped whole by the lookup, and the other rollups stay short.
-- Now every relay batch has a fixed membership and id, kept in Postgres before it is sent (analytics/relay-batches.ts), and
-- each attempt is sent with insert_deduplication_token = that id and deduplicate_blocks_in_dependent_materialized_views
-- = 1. ClickHouse then remembers, per table, the blocks it has already written for that token: a resend writes
-- nothing where the block arrived, and writes exactly the missing block where a view had failed. The token window
-- below is per table, so each rollup view's target needs it too; a table added later must set it in its CREATE.
--
-- The lookup stays for events that reach the warehouse twice in different inserts (inserts without a batch, a
-- batch re-formed after an upgrade), but it lets through the events its own batch already wrote, so a resend forms
-- the same block as the first attempt and the token decides. relay_batch is '' for inserts without a batch.
--
-- Without a token, ClickHouse 26 still deduplicates by the data (deduplicate_blocks_in_dependent_materialized_views
-- is on by default since 26.2): a block identical to one a table already holds is a repeat of the same events, and
-- is dropped. A later migration's backfill (INSERT … SELECT straight into a table below) is deduplicated the same
-- way, so a re-run of it adds nothing.
ALTER TABLE {database}.interaction_events ADD COLUMN IF NOT EXISTS relay_batch String DEFAULT '';

ALTER TABLE {database}.interaction_events_ingest ADD COLUMN IF NOT EXISTS relay_batch String DEFAULT '';

ALTER TABLE {database}.knowledge_lifecycle_events ADD COLUMN IF NOT EXISTS relay_batch String DEFAULT '';

-- In place, never dropped and created again: between the two, inserts into the Null ingest table would vanish.
ALTER TABLE {database}.interaction_events_dedup_mv MODIFY QUERY
SELECT *
FROM {database}.interaction_events_ingest
WHERE event_id NOT IN (
    SELECT event_id FROM {database}.interaction_events
    WHERE workspace_id IN (SELECT DISTINCT workspace_id FROM {database}.interaction_events_ingest)
      AND occurred_at >= (SELECT min(occurred_at) FROM {database}.interaction_events_ingest)
      AND occurred_at <= (SELECT max(occurred_at) FROM {database}.interaction_events_ingest)
      AND (relay_batch = '' OR relay_batch NOT IN (SELECT DISTINCT relay_batch FROM {database}.interaction_events_ingest))
)
LIMIT 1 BY event_id;

-- How many recent insert blocks each table remembers: a relay insert writes one block per partition and per view into
-- each table (hourly_support_events has four views). A batch that failed is sent again at the next pass; one left
-- over after other inserts wrote 5,000 blocks, or after 30 minutes, is sent under a fresh token
-- (analytics/relay-batches.ts).
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
