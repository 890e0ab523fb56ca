import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1764100000000 implements MigrationInterface {
  name = 'Initial1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE account_context.workspaces (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        time_zone text NOT NULL DEFAULT 'UTC',
        customer_token_secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE account_context.api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES account_context.workspaces(id),
        role text NOT NULL CHECK (role IN ('widget', 'agent', 'analyst', 'admin')),
        label text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await db.query(`CREATE INDEX api_keys_workspace ON account_context.api_keys (workspace_id)`);
    await db.query(`
      CREATE TABLE account_context.accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES account_context.workspaces(id),
        external_id text NOT NULL,
        name text NOT NULL,
        plan text NOT NULL DEFAULT 'free',
        billing_state text NOT NULL DEFAULT 'active',
        seats integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, external_id)
      )`);
    await db.query(`
      CREATE TABLE account_context.customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES account_context.workspaces(id),
        external_id text NOT NULL,
        email text,
        name text,
        account_id uuid REFERENCES account_context.accounts(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, external_id)
      )`);
    await db.query(`CREATE INDEX customers_account ON account_context.customers (account_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE account_context.customers, account_context.accounts, account_context.api_keys, account_context.workspaces`);
  }
}
