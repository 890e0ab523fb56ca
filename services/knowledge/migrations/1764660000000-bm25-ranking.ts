import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What BM25 ranking needs beyond the lexeme statistics: an article's title as a searchable field of its own (indexed, so
 * items whose title matches a question are found by an index scan), and the summed length of a workspace's
 * passages (distinct lexemes each), for the average passage length that length normalisation divides by.
 */
export class Bm25Ranking1764660000000 implements MigrationInterface {
  name = 'Bm25Ranking1764660000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.knowledge_items ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', title)) STORED`);
    await db.query(`CREATE INDEX knowledge_items_title_search ON knowledge.knowledge_items USING gin (title_vector) WHERE kind = 'article'`);
    await db.query(`ALTER TABLE knowledge.passage_totals ADD COLUMN lexemes bigint NOT NULL DEFAULT 0`);
    await db.query(`
      UPDATE knowledge.passage_totals t SET lexemes = s.lexemes
        FROM (SELECT workspace_id, sum(length(search_vector)) AS lexemes FROM knowledge.passages GROUP BY 1) s
       WHERE s.workspace_id = t.workspace_id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.passage_totals DROP COLUMN lexemes`);
    await db.query(`ALTER TABLE knowledge.knowledge_items DROP COLUMN title_vector`);
  }
}
