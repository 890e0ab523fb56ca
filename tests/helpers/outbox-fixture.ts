/** A throwaway database holding one service's outbox, filled with synthetic events, for relay tests. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { migrateWarehouse } from '../../analytics/migrate';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { relayBatchesTableSql } from '../../analytics/relay-batches';
import { outboxPositionNotUniqueSql, outboxPruneIndexSql, outboxTableSql } from '../../services/shared/outbox';
import { ThrowawayDatabase, createThrowawayDatabase } from './database';

export interface OutboxFixture {
  database: ThrowawayDatabase;
  pool: Pool;
  published(): Promise<number>;
  drop(): Promise<void>;
}

/**
 * The payload of outbox row `n` (a column of generate_series) as the ask service writes a question's
 * (services/conversation/ask/ask.service.ts): its ids, the asker's context and the question's text. The relay's
 * benchmarks send these, so the bytes per event are a real event's.
 */
export const ASK_PAYLOAD_SQL = `jsonb_build_object(
  'conversationId', gen_random_uuid(), 'customerId', gen_random_uuid(), 'page', '/settings/billing/invoices',
  'channel', 'in_app', 'topic', 'topic-' || (n % 7), 'plan', 'business', 'language', 'en',
  'messageId', gen_random_uuid(), 'text', 'How do I download the invoice for last month, question ' || n, 'followUp', false)`;

/** Creates `conversation.outbox_events` with `count` question_asked events of one workspace (ASK_PAYLOAD_SQL). */
export async function createOutboxFixture(workspaceId: string, count: number): Promise<OutboxFixture> {
  const database = await createThrowawayDatabase('loopdesk_it_relay');
  const pool = new Pool({ connectionString: database.url, max: 2 });
  pool.on('error', () => undefined);
  await pool.query('CREATE SCHEMA conversation');
  for (const sql of [...outboxTableSql('conversation'), outboxPruneIndexSql('conversation'), outboxPositionNotUniqueSql('conversation')]) await pool.query(sql);
  // The relay writes its batches down in insights' table.
  await pool.query('CREATE SCHEMA insights');
  for (const sql of relayBatchesTableSql()) await pool.query(sql);
  await pool.query(
    `INSERT INTO conversation.outbox_events (id, workspace_id, type, occurred_at, payload)
     SELECT gen_random_uuid(), $1, 'question_asked', now() - make_interval(secs => n), ${ASK_PAYLOAD_SQL}
       FROM generate_series(1, $2) AS n`,
    [workspaceId, count],
  );
  return {
    database,
    pool,
    async published() {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM conversation.outbox_events WHERE published_at IS NOT NULL`);
      return rows[0].n as number;
    },
    async drop() {
      await pool.end();
      await database.drop();
    },
  };
}

/** Distinct events of one workspace the warehouse holds (a redelivered event counts once). */
export async function warehouseEventCount(warehouse: Warehouse, workspaceId: string): Promise<number> {
  const result = await warehouse.client.query({
    query: 'SELECT uniqExact(event_id) AS n FROM {database:Identifier}.interaction_events WHERE workspace_id = {workspaceId:UUID}',
    query_params: { database: warehouse.database, workspaceId },
    format: 'JSONEachRow',
  });
  return Number((await result.json<{ n: number }>())[0]?.n ?? 0);
}

export interface RelayFixture {
  workspaceId: string;
  outbox: OutboxFixture;
  /** A migrated chDB warehouse in a folder of its own. */
  warehouse: Warehouse;
}

/**
 * For a relay test file: an outbox of `count` events of one fresh workspace and an empty warehouse, made before
 * its tests and removed after them. beforeAll fills in outbox and warehouse, so read them inside tests.
 */
export function useRelayFixture(name: string, count: number): RelayFixture {
  const fixture = { workspaceId: randomUUID() } as RelayFixture;
  const warehousePath = mkdtempSync(path.join(tmpdir(), `loopdesk-${name}-`));
  beforeAll(async () => {
    fixture.outbox = await createOutboxFixture(fixture.workspaceId, count);
    fixture.warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: warehousePath }));
    await migrateWarehouse(fixture.warehouse);
  });
  afterAll(async () => {
    await fixture.warehouse?.close();
    await fixture.outbox?.drop();
    rmSync(warehousePath, { recursive: true, force: true });
  });
  return fixture;
}

type Exec = Warehouse['client']['exec'];

/**
 * The warehouse with every event insert (insertEvents sends them with `exec`) sent through `insert` first, which
 * decides whether and when to call the real one: a fault injected in front of chDB, everything else untouched.
 */
export function withInsertFault(warehouse: Warehouse, insert: (params: Parameters<Exec>[0], realInsert: Exec) => ReturnType<Exec>): Warehouse {
  const realExec: Exec = warehouse.client.exec.bind(warehouse.client);
  return {
    ...warehouse,
    client: new Proxy(warehouse.client, {
      get(target, property, receiver) {
        if (property !== 'exec') return Reflect.get(target, property, receiver);
        return (params: Parameters<Exec>[0]) => (/^\s*INSERT\b/i.test(params.query) ? insert(params, realExec) : realExec(params));
      },
    }),
  };
}
