import { MigrationInterface, QueryRunner } from 'typeorm';

/** Hand-off state, agent ownership, and what each AI answer was grounded in and how it turned out. */
export class LearningLoop1764200000000 implements MigrationInterface {
  name = 'LearningLoop1764200000000';

  async up(db: QueryRunner): Promise<void> {
    // Repeat-contact detection compares questions by trigram similarity.
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    await db.query(`
      ALTER TABLE conversation.conversations
        ADD COLUMN hand_off_reason text,
        ADD COLUMN handed_off_at timestamptz,
        ADD COLUMN claimed_by text,
        ADD COLUMN claimed_at timestamptz,
        ADD COLUMN resolved_at timestamptz,
        ADD COLUMN topic text NOT NULL DEFAULT ''`);
    await db.query(`CREATE INDEX conversations_inbox ON conversation.conversations (workspace_id, status, created_at DESC, id DESC)`);
    await db.query(`CREATE INDEX conversations_customer ON conversation.conversations (workspace_id, customer_id, created_at DESC)`);
    await db.query(`
      ALTER TABLE conversation.messages
        ADD COLUMN author_id text,
        ADD COLUMN topic text NOT NULL DEFAULT '',
        ADD COLUMN candidate_item_id uuid,
        ADD COLUMN rating text CHECK (rating IN ('up', 'down')),
        ADD COLUMN outcome text,
        ADD COLUMN corrects_message_id uuid REFERENCES conversation.messages(id),
        ADD COLUMN corrected_at timestamptz,
        ADD COLUMN repeat_counted boolean NOT NULL DEFAULT false,
        ADD COLUMN writer text`);
    await db.query(`CREATE UNIQUE INDEX messages_one_correction ON conversation.messages (corrects_message_id) WHERE corrects_message_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.messages DROP COLUMN author_id, DROP COLUMN topic, DROP COLUMN candidate_item_id, DROP COLUMN rating,
      DROP COLUMN outcome, DROP COLUMN corrects_message_id, DROP COLUMN corrected_at, DROP COLUMN repeat_counted, DROP COLUMN writer`);
    await db.query(`ALTER TABLE conversation.conversations DROP COLUMN hand_off_reason, DROP COLUMN handed_off_at, DROP COLUMN claimed_by,
      DROP COLUMN claimed_at, DROP COLUMN resolved_at, DROP COLUMN topic`);
  }
}
