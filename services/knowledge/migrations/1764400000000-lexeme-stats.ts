import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many passages of a workspace contain each lexeme, so retrieval can leave out terms that are in most
 * passages (they match everything, cost the most and say the least), and the workspace's passage count.
 */
export class LexemeStats1764400000000 implements MigrationInterface {
  name = 'LexemeStats1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE knowledge.lexeme_stats (
        workspace_id uuid NOT NULL,
        lexeme text NOT NULL,
        passages integer NOT NULL,
        PRIMARY KEY (workspace_id, lexeme)
      )`);
    await db.query(`CREATE TABLE knowledge.passage_totals (workspace_id uuid PRIMARY KEY, passages integer NOT NULL)`);
    await db.query(`
      INSERT INTO knowledge.lexeme_stats (workspace_id, lexeme, passages)
      SELECT p.workspace_id, lexeme, count(*) FROM knowledge.passages p, unnest(tsvector_to_array(p.search_vector)) AS lexeme GROUP BY 1, 2`);
    await db.query(`INSERT INTO knowledge.passage_totals (workspace_id, passages) SELECT workspace_id, count(*) FROM knowledge.passages GROUP BY 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE knowledge.passage_totals, knowledge.lexeme_stats`);
  }
}
