import { MigrationInterface, QueryRunner } from 'typeorm';
import { relayBatchesTableSql } from '../../../analytics/relay-batches';

/** The relay (run by this process) writes each batch down before sending it, so a failed batch is re-sent whole. */
export class RelayBatches1764761200000 implements MigrationInterface {
  name = 'RelayBatches1764761200000';

  async up(db: QueryRunner): Promise<void> {
    for (const sql of relayBatchesTableSql()) await db.query(sql);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS insights.relay_batches`);
  }
}
