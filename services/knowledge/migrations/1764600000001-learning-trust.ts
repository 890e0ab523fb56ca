import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customer signals become weighed evidence (learning/learning-trust.ts):
 * - item_stats keeps its counters of what happened and gains the evidence ranking reads: trusted (agents, and
 *   signed-in customers at one verdict each per item) and anonymous visitors' (weighted, pooled and capped
 *   when read). Existing counters carry over as trusted evidence, so ranking does not jump at deploy.
 * - item_verdicts holds each customer's or visitor's current verdict on an item: the one that counts.
 * - answer_outcomes records who gave each decisive verdict and its weight, for the threshold calibration.
 * - customer_confirmations holds questions signed-in customers confirmed, until enough distinct customers
 *   corroborate one and it is learned as a question variant.
 */
export class LearningTrust1764600000001 implements MigrationInterface {
  name = 'LearningTrust1764600000001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE knowledge.item_stats
        ADD COLUMN evidence_good real NOT NULL DEFAULT 0,
        ADD COLUMN evidence_bad real NOT NULL DEFAULT 0,
        ADD COLUMN visitor_good real NOT NULL DEFAULT 0,
        ADD COLUMN visitor_bad real NOT NULL DEFAULT 0`);
    await db.query(`
      UPDATE knowledge.item_stats
         SET evidence_good = resolved + rated_up,
             evidence_bad = rated_down + escalated_after + corrected + repeat_contact_after`);
    await db.query(`
      CREATE TABLE knowledge.item_verdicts (
        item_id uuid NOT NULL REFERENCES knowledge.knowledge_items(id) ON DELETE CASCADE,
        voter text NOT NULL,
        workspace_id uuid NOT NULL,
        correct boolean NOT NULL,
        weight real NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (item_id, voter)
      )`);
    await db.query(`ALTER TABLE knowledge.answer_outcomes ADD COLUMN voter text, ADD COLUMN weight real NOT NULL DEFAULT 1, ADD COLUMN visitor boolean NOT NULL DEFAULT false`);
    await db.query(`
      CREATE TABLE knowledge.customer_confirmations (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL,
        item_id uuid NOT NULL REFERENCES knowledge.knowledge_items(id) ON DELETE CASCADE,
        customer_id text NOT NULL,
        question text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (item_id, customer_id, question)
      )`);
    await db.query(`CREATE INDEX customer_confirmations_item ON knowledge.customer_confirmations (item_id, created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE knowledge.customer_confirmations, knowledge.item_verdicts`);
    await db.query(`ALTER TABLE knowledge.answer_outcomes DROP COLUMN voter, DROP COLUMN weight, DROP COLUMN visitor`);
    await db.query(`ALTER TABLE knowledge.item_stats DROP COLUMN evidence_good, DROP COLUMN evidence_bad, DROP COLUMN visitor_good, DROP COLUMN visitor_bad`);
  }
}
