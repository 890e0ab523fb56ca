/**
 * Migration 1764761300000 of every service with an outbox: the position keeps its order index and loses the unique
 * one; undone, the unique index is back. On each service's own migrations, on a throwaway database.
 */
import type { DataSource } from 'typeorm';
import { openAccountContextDatabase } from '../../services/account-context/database';
import { openConversationDatabase } from '../../services/conversation/database';
import { openKnowledgeDatabase } from '../../services/knowledge/database';
import { useThrowawayDataSource } from '../helpers/database';

const services = [
  { schema: 'conversation', store: useThrowawayDataSource('loopdesk_it_outbox_position_conversation', openConversationDatabase) },
  { schema: 'knowledge', store: useThrowawayDataSource('loopdesk_it_outbox_position_knowledge', openKnowledgeDatabase) },
  { schema: 'account_context', store: useThrowawayDataSource('loopdesk_it_outbox_position_account', openAccountContextDatabase) },
];

async function outboxIndexes(db: DataSource, schema: string): Promise<string[]> {
  const rows: Array<{ indexname: string }> = await db.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'outbox_events' ORDER BY indexname`, [schema]);
  return rows.map((row) => row.indexname);
}

describe.each(services)('the $schema outbox', ({ schema, store }) => {
  it('has no unique index on position (its sequence still gives each row its own), and undoing the migration brings the index back', async () => {
    expect(await outboxIndexes(store.db, schema)).toEqual(['outbox_events_pkey', 'outbox_events_published', 'outbox_events_unpublished']);
    await store.db.query(
      `INSERT INTO ${schema}.outbox_events (id, workspace_id, type, occurred_at, payload) SELECT gen_random_uuid(), gen_random_uuid(), 'probe', now(), '{}' FROM generate_series(1, 3)`,
    );
    const positions: Array<{ position: string }> = await store.db.query(`SELECT position FROM ${schema}.outbox_events ORDER BY position`);
    expect(new Set(positions.map((row) => row.position)).size).toBe(3);

    await store.db.undoLastMigration({ transaction: 'each' });
    expect(await outboxIndexes(store.db, schema)).toEqual(['outbox_events_pkey', 'outbox_events_position_key', 'outbox_events_published', 'outbox_events_unpublished']);
    await store.db.runMigrations({ transaction: 'each' });
    expect(await outboxIndexes(store.db, schema)).toEqual(['outbox_events_pkey', 'outbox_events_published', 'outbox_events_unpublished']);
  });
});
