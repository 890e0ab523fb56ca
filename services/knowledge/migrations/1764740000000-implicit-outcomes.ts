import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Implicit outcome signals: an answer the customer left without rating, resolving or following up (a drop-off),
 * counted per item, and how long after an answer its conversation was resolved (a running sum and count, so
 * the item's mean time to resolution is exact without keeping every resolution).
 */
export class ImplicitOutcomes1764740000000 implements MigrationInterface {
  name = 'ImplicitOutcomes1764740000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE knowledge.item_stats
        ADD COLUMN dropped_off_after integer NOT NULL DEFAULT 0,
        ADD COLUMN timed_resolutions integer NOT NULL DEFAULT 0,
        ADD COLUMN resolution_seconds double precision NOT NULL DEFAULT 0`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.item_stats DROP COLUMN dropped_off_after, DROP COLUMN timed_resolutions, DROP COLUMN resolution_seconds`);
  }
}
