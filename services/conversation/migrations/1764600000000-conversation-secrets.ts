import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An anonymous visitor's conversation is bound to a secret handed out once, when it starts; only its SHA-256 is
 * kept. Conversations started before this have none and are no longer reachable by anonymous callers.
 */
export class ConversationSecrets1764600000000 implements MigrationInterface {
  name = 'ConversationSecrets1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.conversations ADD COLUMN secret_hash bytea`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.conversations DROP COLUMN secret_hash`);
  }
}
