import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Freeze learning": a workspace can stop learning from its traffic (corrections, outcomes, confirmations) while
 * it keeps answering, so its knowledge holds still for an audit, a comparison or a baseline. When it was frozen
 * is kept for the settings page; NULL means learning is on.
 */
export class LearningFreeze1764670000000 implements MigrationInterface {
  name = 'LearningFreeze1764670000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.workspace_settings ADD COLUMN learning_frozen_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.workspace_settings DROP COLUMN learning_frozen_at`);
  }
}
