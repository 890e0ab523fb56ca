import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operator keys (not bound to a workspace: they create workspaces), the revocation epoch the gateways watch,
 * and the workspace setting that lets analysts read personal data. Secrets already stored in clear are
 * sealed by account-context at start-up (services/account-context/secrets), because sealing needs the
 * key-encryption keys from the environment, which a migration does not get.
 */
export class KeysAndSecrets1764640000000 implements MigrationInterface {
  name = 'KeysAndSecrets1764640000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE account_context.api_keys DROP CONSTRAINT api_keys_role_check`);
    await db.query(`ALTER TABLE account_context.api_keys ALTER COLUMN workspace_id DROP NOT NULL`);
    await db.query(`
      ALTER TABLE account_context.api_keys
        ADD CONSTRAINT api_keys_role_check CHECK (role IN ('widget', 'agent', 'analyst', 'admin', 'operator')),
        ADD CONSTRAINT api_keys_operator_has_no_workspace CHECK ((role = 'operator') = (workspace_id IS NULL))`);
    await db.query(`CREATE INDEX api_keys_active_admins ON account_context.api_keys (workspace_id) WHERE role = 'admin' AND revoked_at IS NULL`);

    // One row: bumped in the transaction of every change that can turn a cached verdict wrong.
    await db.query(`
      CREATE TABLE account_context.auth_epoch (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        value bigint NOT NULL
      )`);
    await db.query(`INSERT INTO account_context.auth_epoch (id, value) VALUES (true, 1)`);

    await db.query(`ALTER TABLE account_context.workspaces ADD COLUMN analysts_see_personal_data boolean NOT NULL DEFAULT false`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE account_context.workspaces DROP COLUMN analysts_see_personal_data`);
    await db.query(`DROP TABLE account_context.auth_epoch`);
    await db.query(`DROP INDEX account_context.api_keys_active_admins`);
    await db.query(`DELETE FROM account_context.api_keys WHERE role = 'operator'`);
    await db.query(`ALTER TABLE account_context.api_keys DROP CONSTRAINT api_keys_operator_has_no_workspace, DROP CONSTRAINT api_keys_role_check`);
    await db.query(`ALTER TABLE account_context.api_keys ALTER COLUMN workspace_id SET NOT NULL`);
    await db.query(`ALTER TABLE account_context.api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('widget', 'agent', 'analyst', 'admin'))`);
  }
}
