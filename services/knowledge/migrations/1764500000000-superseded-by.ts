import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A stale learned answer that an agent has since answered anew, from the same sources, is superseded by that
 * new answer: the questions it was taught now teach its successor. The column records the link so a rebuilt
 * intent model, and a revert, can follow it.
 */
export class SupersededBy1764500000000 implements MigrationInterface {
  name = 'SupersededBy1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.knowledge_items ADD COLUMN superseded_by uuid REFERENCES knowledge.knowledge_items (id)`);
    await db.query(`CREATE INDEX knowledge_items_superseded_by ON knowledge.knowledge_items (superseded_by) WHERE superseded_by IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.knowledge_items DROP COLUMN superseded_by`);
  }
}
