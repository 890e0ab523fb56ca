import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which of knowledge's confidence scales (retrieval, intent) an AI turn's confidence is on: its outcome calibrates that scale's threshold. */
export class ConfidenceScale1764700000000 implements MigrationInterface {
  name = 'ConfidenceScale1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.messages ADD COLUMN confidence_scale text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.messages DROP COLUMN confidence_scale`);
  }
}
