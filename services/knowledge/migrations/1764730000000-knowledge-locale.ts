import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Articles carry a locale (a BCP 47 language tag, lower-case primary subtag as detection yields it: 'en', 'es', ...):
 * retrieval prefers the asker's, and a question in a locale the workspace has no knowledge in hands off. Existing
 * items are English, the only language answered before. The index serves "does this workspace have knowledge in
 * that locale" and the agents' locale filter.
 */
export class KnowledgeLocale1764730000000 implements MigrationInterface {
  name = 'KnowledgeLocale1764730000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.knowledge_items ADD COLUMN locale text NOT NULL DEFAULT 'en'`);
    await db.query(`CREATE INDEX knowledge_items_workspace_locale ON knowledge.knowledge_items (workspace_id, locale) WHERE status = 'published'`);
    await db.query(`CREATE INDEX knowledge_items_workspace_updated ON knowledge.knowledge_items (workspace_id, updated_at DESC, id DESC)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX knowledge.knowledge_items_workspace_updated`);
    await db.query(`DROP INDEX knowledge.knowledge_items_workspace_locale`);
    await db.query(`ALTER TABLE knowledge.knowledge_items DROP COLUMN locale`);
  }
}
