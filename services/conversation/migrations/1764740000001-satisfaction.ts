import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer satisfaction after resolution (CSAT, 1–5, once per conversation) with a wording each workspace sets,
 * and drop-offs: an AI answer the customer left with no rating, resolution or follow-up within the workspace's
 * window. The drop-off sweep (satisfaction/drop-off-sweep.ts) reads answers not yet settled through a partial
 * index; answers from before this migration are settled (true), so a deploy does not call all history a
 * drop-off, and new answers start unsettled (the default becomes false).
 */
export class Satisfaction1764740000001 implements MigrationInterface {
  name = 'Satisfaction1764740000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE conversation.satisfaction_settings (
        workspace_id uuid PRIMARY KEY,
        csat_question text,
        csat_labels text[],
        drop_off_window_ms bigint,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      ALTER TABLE conversation.conversations
        ADD COLUMN csat_score smallint CHECK (csat_score BETWEEN 1 AND 5),
        ADD COLUMN csat_comment text,
        ADD COLUMN csat_at timestamptz`);
    await db.query(`
      ALTER TABLE conversation.messages
        ADD COLUMN drop_off_settled boolean NOT NULL DEFAULT true,
        ADD COLUMN dropped_off_at timestamptz,
        ADD COLUMN drop_off_reported boolean NOT NULL DEFAULT false`);
    await db.query(`ALTER TABLE conversation.messages ALTER COLUMN drop_off_settled SET DEFAULT false`);
    await db.query(`CREATE INDEX messages_drop_off_due ON conversation.messages (created_at) WHERE NOT drop_off_settled AND author = 'ai' AND decision = 'answered'`);
    await db.query(`CREATE INDEX messages_drop_off_unreported ON conversation.messages (dropped_off_at) WHERE dropped_off_at IS NOT NULL AND NOT drop_off_reported`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX conversation.messages_drop_off_unreported`);
    await db.query(`DROP INDEX conversation.messages_drop_off_due`);
    await db.query(`ALTER TABLE conversation.messages DROP COLUMN drop_off_settled, DROP COLUMN dropped_off_at, DROP COLUMN drop_off_reported`);
    await db.query(`ALTER TABLE conversation.conversations DROP COLUMN csat_score, DROP COLUMN csat_comment, DROP COLUMN csat_at`);
    await db.query(`DROP TABLE conversation.satisfaction_settings`);
  }
}
