import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTableSql } from '../../shared/outbox';

/** Versions, audience, staleness, question variants, outcome statistics, answer policy, reviews, learning events. */
export class LearningLoop1764200000000 implements MigrationInterface {
  name = 'LearningLoop1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE knowledge.knowledge_items
        ADD COLUMN external_key text,
        ADD COLUMN audience_plans text[] NOT NULL DEFAULT '{}',
        ADD COLUMN audience_segments text[] NOT NULL DEFAULT '{}',
        ADD COLUMN stale boolean NOT NULL DEFAULT false,
        ADD COLUMN stale_since timestamptz,
        ADD COLUMN stale_reason text,
        ADD COLUMN provenance jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN answer_hash text`);
    await db.query(`CREATE UNIQUE INDEX knowledge_items_external_key ON knowledge.knowledge_items (workspace_id, external_key) WHERE external_key IS NOT NULL`);
    await db.query(`CREATE INDEX knowledge_items_answer_hash ON knowledge.knowledge_items (workspace_id, answer_hash) WHERE answer_hash IS NOT NULL`);
    await db.query(`CREATE INDEX knowledge_items_tags ON knowledge.knowledge_items USING gin (tags)`);
    await db.query(`
      CREATE TABLE knowledge.item_versions (
        item_id uuid NOT NULL REFERENCES knowledge.knowledge_items(id) ON DELETE CASCADE,
        version integer NOT NULL,
        workspace_id uuid NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        author text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (item_id, version)
      )`);
    await db.query(`
      INSERT INTO knowledge.item_versions (item_id, version, workspace_id, title, body, author, created_at)
      SELECT id, version, workspace_id, title, body, 'migration', created_at FROM knowledge.knowledge_items`);
    await db.query(`ALTER TABLE knowledge.passages ADD COLUMN item_kind text NOT NULL DEFAULT 'article'`);
    await db.query(`CREATE INDEX passages_workspace ON knowledge.passages (workspace_id)`);
    await db.query(`
      CREATE TABLE knowledge.question_variants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        item_id uuid NOT NULL REFERENCES knowledge.knowledge_items(id) ON DELETE CASCADE,
        text text NOT NULL,
        source_conversation_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
      )`);
    await db.query(`CREATE INDEX question_variants_item ON knowledge.question_variants (item_id)`);
    await db.query(`CREATE INDEX question_variants_search ON knowledge.question_variants USING gin (search_vector)`);
    await db.query(`CREATE INDEX question_variants_trigram ON knowledge.question_variants USING gin (text public.gin_trgm_ops)`);
    await db.query(`
      CREATE TABLE knowledge.item_stats (
        item_id uuid PRIMARY KEY REFERENCES knowledge.knowledge_items(id) ON DELETE CASCADE,
        workspace_id uuid NOT NULL,
        shown integer NOT NULL DEFAULT 0,
        resolved integer NOT NULL DEFAULT 0,
        rated_up integer NOT NULL DEFAULT 0,
        rated_down integer NOT NULL DEFAULT 0,
        escalated_after integer NOT NULL DEFAULT 0,
        corrected integer NOT NULL DEFAULT 0,
        repeat_contact_after integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE knowledge.workspace_settings (
        workspace_id uuid PRIMARY KEY,
        learning_mode text NOT NULL DEFAULT 'auto_publish' CHECK (learning_mode IN ('auto_publish', 'review_required')),
        target_precision real NOT NULL DEFAULT 0.9 CHECK (target_precision > 0.5 AND target_precision < 1),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE knowledge.answer_outcomes (
        id bigserial PRIMARY KEY,
        workspace_id uuid NOT NULL,
        topic text NOT NULL,
        confidence real NOT NULL,
        correct boolean NOT NULL,
        signal text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX answer_outcomes_topic ON knowledge.answer_outcomes (workspace_id, topic, id DESC)`);
    await db.query(`
      CREATE TABLE knowledge.topic_policies (
        workspace_id uuid NOT NULL,
        topic text NOT NULL,
        threshold real NOT NULL,
        samples integer NOT NULL DEFAULT 0,
        precision_at_threshold real,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, topic)
      )`);
    await db.query(`
      CREATE TABLE knowledge.product_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('release_note', 'pricing_change', 'deprecated_feature')),
        title text NOT NULL,
        description text NOT NULL,
        product_areas text[] NOT NULL DEFAULT '{}',
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE knowledge.review_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        item_id uuid NOT NULL REFERENCES knowledge.knowledge_items(id) ON DELETE CASCADE,
        reason text NOT NULL CHECK (reason IN ('learned_answer', 'stale')),
        product_change_id uuid REFERENCES knowledge.product_changes(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolution text,
        resolved_by text
      )`);
    await db.query(`CREATE INDEX review_requests_open ON knowledge.review_requests (workspace_id, created_at) WHERE resolved_at IS NULL`);
    await db.query(`
      CREATE TABLE knowledge.learning_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        workspace_id uuid NOT NULL,
        kind text NOT NULL,
        item_id uuid,
        topic text,
        summary text NOT NULL,
        signal text NOT NULL,
        actor text NOT NULL,
        approved_by text,
        before jsonb,
        after jsonb,
        idempotency_key text,
        reverted_at timestamptz,
        reverted_by text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX learning_events_workspace ON knowledge.learning_events (workspace_id, seq DESC)`);
    await db.query(`CREATE UNIQUE INDEX learning_events_idempotency ON knowledge.learning_events (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    for (const sql of outboxTableSql('knowledge')) await db.query(sql);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE knowledge.outbox_events, knowledge.learning_events, knowledge.review_requests, knowledge.product_changes,
      knowledge.topic_policies, knowledge.answer_outcomes, knowledge.workspace_settings, knowledge.item_stats, knowledge.question_variants,
      knowledge.item_versions`);
    await db.query(`ALTER TABLE knowledge.passages DROP COLUMN item_kind`);
    await db.query(`ALTER TABLE knowledge.knowledge_items DROP COLUMN external_key, DROP COLUMN audience_plans, DROP COLUMN audience_segments,
      DROP COLUMN stale, DROP COLUMN stale_since, DROP COLUMN stale_reason, DROP COLUMN provenance, DROP COLUMN answer_hash`);
  }
}
