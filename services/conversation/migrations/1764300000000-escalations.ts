import { MigrationInterface, QueryRunner } from 'typeorm';

/** Commands for the escalation workflows (written with the change, dispatched to Temporal later), their steps, and SLA settings. */
export class Escalations1764300000000 implements MigrationInterface {
  name = 'Escalations1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE conversation.escalation_commands (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL,
        conversation_id uuid NOT NULL REFERENCES conversation.conversations(id),
        kind text NOT NULL CHECK (kind IN ('hand_off', 'claim', 'reply', 'resolved', 'reopened')),
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        dispatched_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await db.query(`CREATE INDEX escalation_commands_pending ON conversation.escalation_commands (id) WHERE dispatched_at IS NULL`);
    await db.query(`
      CREATE TABLE conversation.escalation_steps (
        step_key text PRIMARY KEY,
        workspace_id uuid NOT NULL,
        conversation_id uuid NOT NULL REFERENCES conversation.conversations(id),
        kind text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX escalation_steps_conversation ON conversation.escalation_steps (conversation_id, created_at)`);
    await db.query(`ALTER TABLE conversation.conversations ADD COLUMN escalation_level text NOT NULL DEFAULT 'agents'`);
    await db.query(`
      CREATE TABLE conversation.escalation_settings (
        workspace_id uuid PRIMARY KEY,
        first_response_ms bigint NOT NULL,
        resolution_ms bigint NOT NULL,
        reminder_before_ms bigint NOT NULL,
        reopen_window_ms bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE conversation.escalation_settings, conversation.escalation_steps, conversation.escalation_commands`);
    await db.query(`ALTER TABLE conversation.conversations DROP COLUMN escalation_level`);
  }
}
