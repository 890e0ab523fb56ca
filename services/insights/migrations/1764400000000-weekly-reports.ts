import { MigrationInterface, QueryRunner } from 'typeorm';

export class WeeklyReports1764400000000 implements MigrationInterface {
  name = 'WeeklyReports1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE insights.weekly_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        iso_week text NOT NULL CHECK (iso_week ~ '^[0-9]{4}-W[0-9]{2}$'),
        period_start timestamptz NOT NULL,
        period_end timestamptz NOT NULL,
        generated_at timestamptz NOT NULL,
        run_key text NOT NULL,
        content jsonb NOT NULL,
        markdown text NOT NULL,
        html text NOT NULL,
        UNIQUE (workspace_id, iso_week)
      )`);
    await db.query(`
      CREATE TABLE insights.report_webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        url text NOT NULL,
        label text NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        removed_at timestamptz
      )`);
    await db.query(`CREATE INDEX report_webhooks_workspace ON insights.report_webhooks (workspace_id)`);
    await db.query(`
      CREATE TABLE insights.report_deliveries (
        report_id uuid NOT NULL REFERENCES insights.weekly_reports(id) ON DELETE CASCADE,
        webhook_id uuid NOT NULL REFERENCES insights.report_webhooks(id),
        attempts integer NOT NULL DEFAULT 0,
        last_attempt_at timestamptz,
        last_status integer,
        last_error text,
        delivered_at timestamptz,
        PRIMARY KEY (report_id, webhook_id)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE insights.report_deliveries`);
    await db.query(`DROP TABLE insights.report_webhooks`);
    await db.query(`DROP TABLE insights.weekly_reports`);
  }
}
