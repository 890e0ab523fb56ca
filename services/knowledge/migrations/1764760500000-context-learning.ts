import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Context as a learning signal: outcome evidence per (item, context bucket) next to the item's own (ranking
 * shrinks the bucket's toward the item's), the context a learned answer's correction applies to (its scope),
 * answer thresholds per (topic, scale, context bucket) calibrated from the outcomes given in the bucket, and the
 * workspace setting that turns context learning off.
 */
export class ContextLearning1764760500000 implements MigrationInterface {
  name = 'ContextLearning1764760500000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE knowledge.item_context_stats (
        item_id uuid NOT NULL REFERENCES knowledge.knowledge_items(id) ON DELETE CASCADE,
        context_key text NOT NULL,
        workspace_id uuid NOT NULL,
        good real NOT NULL DEFAULT 0,
        bad real NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (item_id, context_key)
      )`);
    await db.query(`
      ALTER TABLE knowledge.knowledge_items
        ADD COLUMN scope_plans text[] NOT NULL DEFAULT '{}',
        ADD COLUMN scope_areas text[] NOT NULL DEFAULT '{}'`);
    await db.query(`ALTER TABLE knowledge.workspace_settings ADD COLUMN context_learning boolean NOT NULL DEFAULT true`);
    await db.query(`ALTER TABLE knowledge.answer_outcomes ADD COLUMN context_keys text[] NOT NULL DEFAULT '{}'`);
    await db.query(`
      CREATE TABLE knowledge.context_policies (
        workspace_id uuid NOT NULL,
        topic text NOT NULL,
        scale text NOT NULL,
        context_key text NOT NULL,
        threshold real NOT NULL,
        samples integer NOT NULL DEFAULT 0,
        precision_at_threshold real,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, topic, scale, context_key)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE knowledge.context_policies`);
    await db.query(`ALTER TABLE knowledge.answer_outcomes DROP COLUMN context_keys`);
    await db.query(`ALTER TABLE knowledge.workspace_settings DROP COLUMN context_learning`);
    await db.query(`ALTER TABLE knowledge.knowledge_items DROP COLUMN scope_plans, DROP COLUMN scope_areas`);
    await db.query(`DROP TABLE knowledge.item_context_stats`);
  }
}
