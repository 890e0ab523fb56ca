import { MigrationInterface, QueryRunner } from 'typeorm';
import { workflowStartsTableSql } from '../../shared/workflow-starts';

/** Product-change reviews run as workflows, started durably from this schema's workflow_starts table. */
export class ProductChangeReviews1764300000000 implements MigrationInterface {
  name = 'ProductChangeReviews1764300000000';

  async up(db: QueryRunner): Promise<void> {
    for (const sql of workflowStartsTableSql('knowledge')) await db.query(sql);
    await db.query(`ALTER TABLE knowledge.product_changes ADD COLUMN review_deadline timestamptz, ADD COLUMN review_closed_at timestamptz, ADD COLUMN review_outcome text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.product_changes DROP COLUMN review_deadline, DROP COLUMN review_closed_at, DROP COLUMN review_outcome`);
    await db.query(`DROP TABLE knowledge.workflow_starts`);
  }
}
