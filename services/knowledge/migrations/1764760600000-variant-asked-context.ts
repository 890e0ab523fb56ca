import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a taught question was asked (the asker's plan and the page's product areas), kept with it: the intent
 * model's update for it then pushes down only the items that could have been served there (intent/item-scope.ts).
 * NULL areas: not known (questions taught before, and customers' confirmed phrasings).
 */
export class VariantAskedContext1764760600000 implements MigrationInterface {
  name = 'VariantAskedContext1764760600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.question_variants ADD COLUMN asked_plan text, ADD COLUMN asked_areas text[]`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE knowledge.question_variants DROP COLUMN asked_plan, DROP COLUMN asked_areas`);
  }
}
