import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Inbox search and the agent's conversation view: full-text search over every message of a workspace, and, on
 * each AI turn, the account context it answered with and the threshold its confidence was held to.
 */
export class DeskSearchAndView1764720000002 implements MigrationInterface {
  name = 'DeskSearchAndView1764720000002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.messages ADD COLUMN asker_context jsonb, ADD COLUMN threshold real`);
    await db.query(`CREATE INDEX messages_text_search ON conversation.messages USING gin (to_tsvector('english'::regconfig, text))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX conversation.messages_text_search`);
    await db.query(`ALTER TABLE conversation.messages DROP COLUMN asker_context, DROP COLUMN threshold`);
  }
}
