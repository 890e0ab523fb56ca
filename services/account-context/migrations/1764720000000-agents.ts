import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agents are people: a row per person who works conversations (name, email, groups, availability, role), and
 * API keys that belong to one of them. A personal key acts as its agent (`agent:<id>` in the request context);
 * shared workspace keys keep working and act as the key (`key:<id>`).
 */
export class Agents1764720000000 implements MigrationInterface {
  name = 'Agents1764720000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE account_context.agents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL REFERENCES account_context.workspaces(id),
        name text NOT NULL,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('agent', 'admin')),
        groups text[] NOT NULL DEFAULT '{}',
        availability text NOT NULL DEFAULT 'available' CHECK (availability IN ('available', 'away', 'offline')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deactivated_at timestamptz
      )`);
    // One person per email in a workspace (case-insensitive), deactivated people included: reactivating is an update.
    await db.query(`CREATE UNIQUE INDEX agents_workspace_email ON account_context.agents (workspace_id, lower(email))`);
    await db.query(`CREATE INDEX agents_workspace_groups ON account_context.agents USING gin (groups)`);
    await db.query(`ALTER TABLE account_context.api_keys ADD COLUMN agent_id uuid REFERENCES account_context.agents(id)`);
    await db.query(`CREATE INDEX api_keys_agent ON account_context.api_keys (agent_id) WHERE agent_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX account_context.api_keys_agent`);
    await db.query(`ALTER TABLE account_context.api_keys DROP COLUMN agent_id`);
    await db.query(`DROP TABLE account_context.agents`);
  }
}
