import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of client writes (ask, customer signals, agent actions): one row per workspace, caller and
 * key, written in the same transaction as the write it guards, holding what the first attempt returned.
 */
export class IdempotencyKeys1764710000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764710000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE conversation.idempotency_keys (
        workspace_id uuid NOT NULL,
        caller text NOT NULL,
        key text NOT NULL,
        operation text NOT NULL,
        request_hash bytea NOT NULL,
        result jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, caller, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_created_at ON conversation.idempotency_keys (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE conversation.idempotency_keys`);
  }
}
