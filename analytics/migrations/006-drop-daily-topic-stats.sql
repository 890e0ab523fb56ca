-- daily_topic_stats (migration 002) kept a uniqExact state of every event id per UTC day, topic and type: a second
-- copy of each event's id, written on every insert, which no query has read since the hourly rollups (003) came.
-- Dropping it makes each insert one view lighter and frees its disk.
DROP VIEW IF EXISTS {database}.daily_topic_stats_mv;

DROP TABLE IF EXISTS {database}.daily_topic_stats;
