import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxRelayBatchSql } from '../../shared/outbox';

/** The relay claims outbox rows into a batch, kept until the batch is published, and re-sends it whole after a failure. */
export class OutboxRelayBatches1764761200000 implements MigrationInterface {
  name = 'OutboxRelayBatches1764761200000';

  async up(db: QueryRunner): Promise<void> {
    for (const sql of outboxRelayBatchSql('conversation')) await db.query(sql);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conversation.outbox_events DROP COLUMN IF EXISTS relay_batch`);
  }
}
