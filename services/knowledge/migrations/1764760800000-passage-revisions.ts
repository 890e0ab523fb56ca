import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A revision per workspace, moved by every passage write, and on each item the revision its passages were last
 * written at: the in-process passage index (retrieval/passage-index.ts) reads the workspace's revision with each
 * question and loads only the items written since its own. Existing items start at 0: an index is built whole the
 * first time, so they need no revision of their own.
 */
export class PassageRevisions1764760800000 implements MigrationInterface {
  name = 'PassageRevisions1764760800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.passage_totals ADD COLUMN revision bigint NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE knowledge.knowledge_items ADD COLUMN passages_revision bigint NOT NULL DEFAULT 0`);
    await db.query(`CREATE INDEX knowledge_items_passages_revision ON knowledge.knowledge_items (workspace_id, passages_revision)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.knowledge_items DROP COLUMN passages_revision`);
    await db.query(`ALTER TABLE knowledge.passage_totals DROP COLUMN revision`);
  }
}
