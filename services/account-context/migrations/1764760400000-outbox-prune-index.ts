import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxPruneIndexSql } from '../../shared/outbox';

/** The relay deletes published outbox rows after their retention, oldest publication first: this is its index. */
export class OutboxPruneIndex1764760400000 implements MigrationInterface {
  name = 'OutboxPruneIndex1764760400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(outboxPruneIndexSql('account_context'));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX IF EXISTS account_context.outbox_events_published`);
  }
}
