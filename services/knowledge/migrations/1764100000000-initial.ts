import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764100000000 implements MigrationInterface {
  name = 'Initial1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    await db.query(`
      CREATE TABLE knowledge.knowledge_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('article', 'learned_answer')),
        status text NOT NULL CHECK (status IN ('published', 'pending_review', 'archived')),
        title text NOT NULL,
        body text NOT NULL,
        topic text NOT NULL DEFAULT '',
        tags text[] NOT NULL DEFAULT '{}',
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX knowledge_items_workspace_status ON knowledge.knowledge_items (workspace_id, status)`);
    await db.query(`
      CREATE TABLE knowledge.passages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        item_id uuid NOT NULL REFERENCES knowledge.knowledge_items(id) ON DELETE CASCADE,
        item_version integer NOT NULL,
        ordinal integer NOT NULL,
        text text NOT NULL,
        search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
      )`);
    await db.query(`CREATE INDEX passages_item ON knowledge.passages (item_id)`);
    await db.query(`CREATE INDEX passages_search ON knowledge.passages USING gin (search_vector)`);
    await db.query(`CREATE INDEX passages_trigram ON knowledge.passages USING gin (text public.gin_trgm_ops)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE knowledge.passages, knowledge.knowledge_items`);
  }
}
