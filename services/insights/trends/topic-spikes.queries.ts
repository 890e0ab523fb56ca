/**
 * Conversations asking about each topic in a window and in the trailing baseline before it, and the product
 * changes recorded around it (with the topics of the items each one flagged). A follow-up in the same
 * conversation is the same contact, not a new arrival, so it does not count again. Counts are exact distinct
 * counts: the relay delivers at least once.
 */
import { hourlyContacts } from '../rollup-window';

export const TOPIC_VOLUME_SQL = `
  SELECT
    topic,
    uniqExactIf(contact, occurred_at >= {from:DateTime64(3, 'UTC')}) AS volume,
    uniqExactIf(contact, occurred_at < {from:DateTime64(3, 'UTC')}) AS baselineVolume
  FROM (
    SELECT topic, occurred_at, if(conversation_id != '', conversation_id, toString(event_id)) AS contact
    FROM {database:Identifier}.interaction_events
    WHERE workspace_id = {workspaceId:UUID}
      AND event_type = 'question_asked'
      AND topic != ''
      AND occurred_at >= {baselineFrom:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
  )
  GROUP BY topic`;

/**
 * TOPIC_VOLUME_SQL from the hourly contacts (`spike` = [baselineFrom, to)). The window's start must be a whole
 * hour: it splits hours into window and baseline. A contact asking in both counts in both, as above.
 */
export const TOPIC_VOLUME_ROLLUP_SQL = `
  SELECT topic, sumIf(contacts, inWindow) AS volume, sumIf(contacts, NOT inWindow) AS baselineVolume
  FROM (
    SELECT topic, hour >= {from:DateTime64(3, 'UTC')} AS inWindow, uniqExactMerge(contacts) AS contacts
    FROM ${hourlyContacts('spike', "topic != ''")}
    GROUP BY topic, inWindow
  )
  GROUP BY topic`;

export const PRODUCT_CHANGES_SQL = `
  SELECT
    JSONExtractString(payload, 'productChangeId') AS id,
    any(JSONExtractString(payload, 'title')) AS title,
    any(JSONExtract(payload, 'productAreas', 'Array(String)')) AS productAreas,
    min(occurred_at) AS recordedAt
  FROM {database:Identifier}.interaction_events
  WHERE workspace_id = {workspaceId:UUID}
    AND event_type = 'product_change_recorded'
    AND occurred_at >= {linkFrom:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
  GROUP BY id
  ORDER BY recordedAt`;

/** Topics of the items each product change flagged as possibly stale. */
export const FLAGGED_TOPICS_SQL = `
  SELECT JSONExtractString(payload, 'productChangeId') AS id, groupUniqArray(topic) AS topics
  FROM {database:Identifier}.interaction_events
  WHERE workspace_id = {workspaceId:UUID}
    AND event_type = 'knowledge_flagged_stale'
    AND occurred_at >= {linkFrom:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
  GROUP BY id`;
