/**
 * The transactional outbox: a service writes its domain events in the same transaction as the change that
 * caused them, into an `outbox_events` table in its own schema. The relay (analytics/) drains these tables
 * into the warehouse; it is the one reader besides the owner, and it only reads and marks them.
 */
import { randomUUID } from 'node:crypto';
import { Column, DataSource, Entity, EntityManager, MigrationInterface, PrimaryColumn, QueryRunner } from 'typeorm';
import { currentRequestId } from './request-context';

@Entity({ name: 'outbox_events' })
export class OutboxEventEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Monotonic order within one service's outbox (bigserial), the relay's cursor. */
  @Column({ type: 'bigint', insert: false, update: false })
  position!: string;

  @Column({ name: 'workspace_id', type: 'uuid' })
  workspaceId!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ name: 'correlation_id', type: 'text', default: '' })
  correlationId!: string;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}

export interface DomainEvent {
  workspaceId: string;
  type: string;
  payload: Record<string, unknown>;
  occurredAt?: Date;
}

/** Call inside the transaction that makes the change. */
export async function recordEvents(tx: EntityManager, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const insert = outboxInsert(outboxTable(tx.connection), events, 1);
  await tx.query(insert.sql, insert.params);
}

/** The service's own outbox table (schema-qualified), from the entity registered on its DataSource. */
export function outboxTable(db: DataSource): string {
  return db.getMetadata(OutboxEventEntity).tablePath;
}

/**
 * The INSERT of `events` into `table` (only if `where`, a WHERE clause, holds), its parameters numbered from
 * $`first`: recordEvents runs it alone, and a statement that writes a change and its events at once (a
 * data-modifying WITH) runs it as one of its parts.
 */
export function outboxInsert(table: string, events: DomainEvent[], first: number, where = ''): { sql: string; params: unknown[] } {
  const [ids, workspaces, types, times, payloads, correlations] = [0, 1, 2, 3, 4, 5].map((i) => `$${first + i}`);
  return {
    sql: `INSERT INTO ${table} (id, workspace_id, type, occurred_at, payload, correlation_id)
     SELECT * FROM unnest(${ids}::uuid[], ${workspaces}::uuid[], ${types}::text[], ${times}::timestamptz[], ${payloads}::jsonb[], ${correlations}::text[]) ${where}`,
    params: [
      events.map(() => randomUUID()),
      events.map((event) => event.workspaceId),
      events.map((event) => event.type),
      events.map((event) => (event.occurredAt ?? new Date()).toISOString()),
      events.map((event) => JSON.stringify(event.payload)),
      events.map(() => currentRequestId() ?? ''),
    ],
  };
}

/**
 * SQL for a service's migration: the index the relay prunes published rows by (oldest publication first), so a
 * prune that finds nothing to delete reads no table.
 */
export function outboxPruneIndexSql(schema: string): string {
  return `CREATE INDEX IF NOT EXISTS outbox_events_published ON ${schema}.outbox_events (published_at) WHERE published_at IS NOT NULL`;
}

/** SQL for a service's migration: the same outbox table shape in every schema. */
export function outboxTableSql(schema: string): string[] {
  return [
    `CREATE TABLE ${schema}.outbox_events (
       id uuid PRIMARY KEY,
       position bigserial NOT NULL UNIQUE,
       workspace_id uuid NOT NULL,
       type text NOT NULL,
       occurred_at timestamptz NOT NULL,
       payload jsonb NOT NULL,
       correlation_id text NOT NULL DEFAULT '',
       published_at timestamptz
     )`,
    `CREATE INDEX outbox_events_unpublished ON ${schema}.outbox_events (position) WHERE published_at IS NULL`,
  ];
}

/** SQL for a service's migration (and for test outboxes built without one): see outboxPositionNotUniqueMigration. */
export function outboxPositionNotUniqueSql(schema: string): string {
  return `ALTER TABLE ${schema}.outbox_events DROP CONSTRAINT IF EXISTS outbox_events_position_key`;
}

/**
 * A service's migration 1764761300000: the outbox's position no longer carries a unique index. Positions come from
 * the table's own sequence, and every reader orders unpublished rows by the partial index, so the unique index was
 * one more index entry for every event written and every row the relay marks published (about 5% of the relay's
 * throughput, npm run bench:relay).
 */
export function outboxPositionNotUniqueMigration(schema: string): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = 'OutboxPositionNotUnique1764761300000';

    async up(db: QueryRunner): Promise<void> {
      await db.query(outboxPositionNotUniqueSql(schema));
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE ${schema}.outbox_events ADD CONSTRAINT outbox_events_position_key UNIQUE (position)`);
    }
  };
}
