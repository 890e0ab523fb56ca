import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The context buckets an AI turn was answered in (services/shared/asker-buckets.ts), kept with it: every later
 * outcome of the turn (a rating, a resolution, a correction) counts in those buckets too. Older turns have none.
 */
export class ContextKeys1764760500000 implements MigrationInterface {
  name = 'ContextKeys1764760500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.messages ADD COLUMN context_keys text[] NOT NULL DEFAULT '{}'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.messages DROP COLUMN context_keys`);
  }
}
