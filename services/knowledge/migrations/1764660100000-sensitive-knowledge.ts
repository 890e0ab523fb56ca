import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Knowledge an admin marks sensitive (security, fraud, account closure) needs a higher bar before the AI answers
 * from it alone: an item can be marked, or a whole topic; the bar is a workspace setting.
 */
export class SensitiveKnowledge1764660100000 implements MigrationInterface {
  name = 'SensitiveKnowledge1764660100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.knowledge_items ADD COLUMN sensitive boolean NOT NULL DEFAULT false`);
    await db.query(`
      CREATE TABLE knowledge.sensitive_topics (
        workspace_id uuid NOT NULL,
        topic text NOT NULL,
        marked_by text NOT NULL,
        marked_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, topic)
      )`);
    await db.query(
      `ALTER TABLE knowledge.workspace_settings ADD COLUMN sensitive_threshold real NOT NULL DEFAULT 0.95 CHECK (sensitive_threshold > 0 AND sensitive_threshold <= 1)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.workspace_settings DROP COLUMN sensitive_threshold`);
    await db.query(`DROP TABLE knowledge.sensitive_topics`);
    await db.query(`ALTER TABLE knowledge.knowledge_items DROP COLUMN sensitive`);
  }
}
