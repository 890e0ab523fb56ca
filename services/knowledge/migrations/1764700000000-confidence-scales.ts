import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retrieval's confidence and the intent model's are different scales (a lead in shares of the question's
 * evidence; a margin of a linear model), so one threshold cannot serve both: outcomes and the thresholds learned
 * from them are kept per (topic, scale). Rows from before were mostly retrieval's; they stay under it.
 */
export class ConfidenceScales1764700000000 implements MigrationInterface {
  name = 'ConfidenceScales1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.answer_outcomes ADD COLUMN scale text NOT NULL DEFAULT 'retrieval'`);
    await db.query(`DROP INDEX knowledge.answer_outcomes_topic`);
    await db.query(`CREATE INDEX answer_outcomes_topic ON knowledge.answer_outcomes (workspace_id, topic, scale, id DESC)`);
    await db.query(`ALTER TABLE knowledge.topic_policies ADD COLUMN scale text NOT NULL DEFAULT 'retrieval'`);
    await db.query(`ALTER TABLE knowledge.topic_policies DROP CONSTRAINT topic_policies_pkey, ADD PRIMARY KEY (workspace_id, topic, scale)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DELETE FROM knowledge.topic_policies WHERE scale <> 'retrieval'`);
    await db.query(`ALTER TABLE knowledge.topic_policies DROP CONSTRAINT topic_policies_pkey, ADD PRIMARY KEY (workspace_id, topic)`);
    await db.query(`ALTER TABLE knowledge.topic_policies DROP COLUMN scale`);
    await db.query(`DROP INDEX knowledge.answer_outcomes_topic`);
    await db.query(`ALTER TABLE knowledge.answer_outcomes DROP COLUMN scale`);
    await db.query(`CREATE INDEX answer_outcomes_topic ON knowledge.answer_outcomes (workspace_id, topic, id DESC)`);
  }
}
