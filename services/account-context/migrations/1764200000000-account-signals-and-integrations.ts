import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTableSql } from '../../shared/outbox';

/**
 * What the answerer needs to know about an asker beyond plan and seats (dates, usage, flags, attributes,
 * segments), open bugs from the bug tracker, signed-webhook ingestion (secrets and seen deliveries), and
 * the outbox every change writes to.
 */
export class AccountSignalsAndIntegrations1764200000000 implements MigrationInterface {
  name = 'AccountSignalsAndIntegrations1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE account_context.accounts
        ADD COLUMN signed_up_at timestamptz,
        ADD COLUMN onboarded_at timestamptz,
        ADD COLUMN usage jsonb NOT NULL DEFAULT '{}'::jsonb,
        ADD COLUMN feature_flags text[] NOT NULL DEFAULT '{}',
        ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
        ADD COLUMN segments text[] NOT NULL DEFAULT '{}',
        ADD COLUMN billing_event_at timestamptz`);
    await db.query(`ALTER TABLE account_context.customers ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}'::jsonb`);

    // Bugs link accounts by the workspace's external ids, as the tracker knows them: a bug may arrive
    // before the account does, and the link holds once it exists.
    await db.query(`
      CREATE TABLE account_context.bugs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES account_context.workspaces(id),
        source text NOT NULL,
        external_id text NOT NULL,
        title text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        product_areas text[] NOT NULL DEFAULT '{}',
        account_external_ids text[] NOT NULL DEFAULT '{}',
        url text,
        opened_at timestamptz NOT NULL,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, source, external_id)
      )`);
    await db.query(`CREATE INDEX bugs_open ON account_context.bugs (workspace_id, opened_at DESC, id DESC) WHERE status = 'open'`);
    await db.query(`CREATE INDEX bugs_accounts ON account_context.bugs USING gin (account_external_ids)`);
    await db.query(`CREATE INDEX bugs_product_areas ON account_context.bugs USING gin (product_areas)`);

    await db.query(`
      CREATE TABLE account_context.webhook_secrets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES account_context.workspaces(id),
        provider text NOT NULL CHECK (provider IN ('billing', 'crm', 'bug_tracker')),
        secret text NOT NULL,
        previous_secret text,
        previous_valid_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz,
        UNIQUE (workspace_id, provider)
      )`);

    // Scoped per workspace and provider, so one sender's ids can never block another's. The delivery id
    // header is not covered by the signature, so what was signed ("<t>.<body>", by its SHA-256) is unique
    // too: a captured request re-sent under a new delivery id within the timestamp window is still a replay.
    await db.query(`
      CREATE TABLE account_context.webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES account_context.workspaces(id),
        provider text NOT NULL,
        delivery_id text NOT NULL,
        signed_digest text NOT NULL,
        event_type text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('applied', 'ignored')),
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_deliveries_delivery UNIQUE (workspace_id, provider, delivery_id),
        CONSTRAINT webhook_deliveries_signed_digest UNIQUE (workspace_id, provider, signed_digest)
      )`);

    for (const sql of outboxTableSql('account_context')) await db.query(sql);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE account_context.outbox_events, account_context.webhook_deliveries, account_context.webhook_secrets, account_context.bugs`);
    await db.query(`ALTER TABLE account_context.customers DROP COLUMN attributes`);
    await db.query(`
      ALTER TABLE account_context.accounts
        DROP COLUMN signed_up_at, DROP COLUMN onboarded_at, DROP COLUMN usage, DROP COLUMN feature_flags,
        DROP COLUMN attributes, DROP COLUMN segments, DROP COLUMN billing_event_at`);
  }
}
