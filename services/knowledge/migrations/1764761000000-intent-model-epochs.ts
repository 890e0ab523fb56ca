import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter per workspace, moved by every change the intent models cannot catch up on row by row: a revert (a
 * question variant deleted, an answer sent back to review). Each replica's model reads it with every catch-up and
 * rebuilds from Postgres when it moved, so a reverted question is forgotten on every replica, not only the one that
 * ran the revert. A workspace without a row has never moved it.
 */
export class IntentModelEpochs1764761000000 implements MigrationInterface {
  name = 'IntentModelEpochs1764761000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE knowledge.intent_model_epochs (
        workspace_id uuid PRIMARY KEY,
        epoch bigint NOT NULL DEFAULT 0
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE knowledge.intent_model_epochs`);
  }
}
