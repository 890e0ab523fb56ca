import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The language of each customer question (detected when it is asked) and of its conversation (the latest question's),
 * an ISO 639 code. NULL for what was asked before languages were detected.
 */
export class ConversationLanguage1764730000001 implements MigrationInterface {
  name = 'ConversationLanguage1764730000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.conversations ADD COLUMN language text`);
    await db.query(`ALTER TABLE conversation.messages ADD COLUMN language text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.messages DROP COLUMN language`);
    await db.query(`ALTER TABLE conversation.conversations DROP COLUMN language`);
  }
}
