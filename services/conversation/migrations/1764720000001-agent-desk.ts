import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agents' desk: a conversation can wait for a group instead of a person, and the escalation workflow hears
 * about unclaims and re-assignments.
 */
export class AgentDesk1764720000001 implements MigrationInterface {
  name = 'AgentDesk1764720000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.conversations ADD COLUMN assigned_group text`);
    await db.query(`ALTER TABLE conversation.escalation_commands DROP CONSTRAINT escalation_commands_kind_check`);
    await db.query(`
      ALTER TABLE conversation.escalation_commands ADD CONSTRAINT escalation_commands_kind_check
        CHECK (kind IN ('hand_off', 'claim', 'reply', 'resolved', 'reopened', 'unclaim', 'reassign'))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM conversation.escalation_commands WHERE kind IN ('unclaim', 'reassign')`);
    await db.query(`ALTER TABLE conversation.escalation_commands DROP CONSTRAINT escalation_commands_kind_check`);
    await db.query(`ALTER TABLE conversation.escalation_commands ADD CONSTRAINT escalation_commands_kind_check CHECK (kind IN ('hand_off', 'claim', 'reply', 'resolved', 'reopened'))`);
    await db.query(`ALTER TABLE conversation.conversations DROP COLUMN assigned_group`);
  }
}
