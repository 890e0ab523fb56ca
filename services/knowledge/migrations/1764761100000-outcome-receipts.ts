import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outcome signals already taken, by the key their sender gives each (the answer and the signal): senders
 * resend a signal whose reply they did not get (a timeout after knowledge committed, a crash before they marked it
 * sent), and a resent one must not count twice in an item's statistics or a topic's threshold. Kept 30 days.
 */
export class OutcomeReceipts1764761100000 implements MigrationInterface {
  name = 'OutcomeReceipts1764761100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE knowledge.outcome_receipts (
        workspace_id uuid NOT NULL,
        key text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, key)
      )`);
    await db.query(`CREATE INDEX outcome_receipts_received_at ON knowledge.outcome_receipts (received_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE knowledge.outcome_receipts`);
  }
}
