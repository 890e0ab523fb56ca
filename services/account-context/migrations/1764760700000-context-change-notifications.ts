import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Announces changes to what questionContext reads (a customer's account link, the account, bugs) on the channel
 * account_context_changed, with the workspace's id as payload, so that the conversation service can drop the askers'
 * contexts it keeps for that workspace. NOTIFY is delivered when the transaction commits and never for a rollback,
 * and Postgres sends one notification per workspace per transaction however many rows changed.
 *
 * A new customer changes no context anyone has read (there was none to read), so customers announce updates and
 * deletes only: every first question would otherwise evict its workspace's contexts.
 */
export class ContextChangeNotifications1764760700000 implements MigrationInterface {
  name = 'ContextChangeNotifications1764760700000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION account_context.announce_context_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('account_context_changed', OLD.workspace_id::text); END IF;
        IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('account_context_changed', NEW.workspace_id::text); END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER accounts_announce_context_change AFTER INSERT OR UPDATE OR DELETE ON account_context.accounts
        FOR EACH ROW EXECUTE FUNCTION account_context.announce_context_change()`);
    await db.query(`
      CREATE TRIGGER bugs_announce_context_change AFTER INSERT OR UPDATE OR DELETE ON account_context.bugs
        FOR EACH ROW EXECUTE FUNCTION account_context.announce_context_change()`);
    await db.query(`
      CREATE TRIGGER customers_announce_context_change AFTER UPDATE OR DELETE ON account_context.customers
        FOR EACH ROW EXECUTE FUNCTION account_context.announce_context_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER customers_announce_context_change ON account_context.customers`);
    await db.query(`DROP TRIGGER bugs_announce_context_change ON account_context.bugs`);
    await db.query(`DROP TRIGGER accounts_announce_context_change ON account_context.accounts`);
    await db.query(`DROP FUNCTION account_context.announce_context_change()`);
  }
}
