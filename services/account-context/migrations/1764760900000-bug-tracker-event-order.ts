import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The time of the tracker event a bug was last written from, so an event delivered late (a retry after a later one
 * was applied) is recognised as stale and skipped, as accounts' billing_event_at does for billing events. Rows
 * written before this have none: their next event applies.
 */
export class BugTrackerEventOrder1764760900000 implements MigrationInterface {
  name = 'BugTrackerEventOrder1764760900000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE account_context.bugs ADD COLUMN tracker_event_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE account_context.bugs DROP COLUMN tracker_event_at`);
  }
}
