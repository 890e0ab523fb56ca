/**
 * What the escalation dispatcher's integration tests stand on: a throwaway conversation database and a real
 * Temporal dev server side by side, a dispatcher wired to them as the conversation service wires it, and a
 * handed-off conversation with its hand-off command queued. Plain functions, not Jest hooks: each test file closes
 * its own dispatcher before close() takes the database and the server away.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataSource, EntityManager } from 'typeorm';
import { openConversationDatabase } from '../../services/conversation/database';
import { queueEscalationCommand } from '../../services/conversation/escalation/escalation-commands';
import { EscalationDispatcher } from '../../services/conversation/escalation/escalation-dispatcher';
import { EscalationSettingsService } from '../../services/conversation/escalation/escalation-settings.service';
import { EscalationStepsService } from '../../services/conversation/escalation/escalation-steps.service';
import { createLogger } from '../../services/shared/logger';
import { createThrowawayDatabase } from './database';
import { startTestTemporal } from './temporal';

export interface DispatchFixture {
  /** The throwaway database's URL (for a LISTEN connection or an admin pool). */
  url: string;
  db: DataSource;
  temporal: Client;
  /** Closes the client's connection, the database and the server; stop the dispatchers first. */
  close(): Promise<void>;
}

export async function openDispatchFixture(databasePrefix: string): Promise<DispatchFixture> {
  const [database, server] = await Promise.all([createThrowawayDatabase(databasePrefix), startTestTemporal()]);
  let db: DataSource | undefined;
  let connection: Connection;
  try {
    db = await openConversationDatabase(database.url);
    connection = await Connection.connect({ address: server.address });
  } catch (error) {
    // A half-opened fixture would leave the dev server running and the database behind (and Jest waiting on them).
    await db?.destroy();
    await server.stop();
    await database.drop();
    throw error;
  }
  const opened = db;
  return {
    url: database.url,
    db: opened,
    temporal: new Client({ connection }),
    async close() {
      await connection.close();
      await opened.destroy();
      await server.stop();
      await database.drop();
    },
  };
}

/** Service-level agreements far beyond any test's wait: no reminder or breach fires while a test runs. */
const TEST_SLA = { firstResponseMs: 3_600_000, resolutionMs: 7_200_000, reminderBeforeMs: 600_000, reopenWindowMs: 3_600_000 };

/** A dispatcher on `db`, as the conversation service builds it; `options` as EscalationDispatcher takes them. */
export function testDispatcher(db: DataSource, client: () => Promise<Client>, taskQueue: string, options?: ConstructorParameters<typeof EscalationDispatcher>[6]): EscalationDispatcher {
  const settings = new EscalationSettingsService(db, TEST_SLA);
  return new EscalationDispatcher(db, client, taskQueue, settings, new EscalationStepsService(db), createLogger('test', 'silent'), options);
}

/** A conversation already handed off (topic "exports"), as the ask path leaves it; its id. */
export async function handedOffConversation(db: DataSource, workspaceId: string): Promise<string> {
  const [row] = await db.query(`INSERT INTO conversation.conversations (workspace_id, status, topic) VALUES ($1, 'handed_off', 'exports') RETURNING id`, [workspaceId]);
  return row.id as string;
}

/** Queues the conversation's hand-off command in `tx`, as the ask that handed it off does. */
export const queueHandOff = (tx: EntityManager, workspaceId: string, conversationId: string) =>
  queueEscalationCommand(tx, { workspaceId, conversationId, kind: 'hand_off', payload: { aiMessageId: randomUUID(), reason: 'no_knowledge' } });
