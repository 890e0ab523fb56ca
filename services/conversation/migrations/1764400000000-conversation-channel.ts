import { MigrationInterface, QueryRunner } from 'typeorm';

/** The channel a conversation came from (widget, email, …), so insights can filter by it. */
export class ConversationChannel1764400000000 implements MigrationInterface {
  name = 'ConversationChannel1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.conversations ADD COLUMN channel text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.conversations DROP COLUMN channel`);
  }
}
