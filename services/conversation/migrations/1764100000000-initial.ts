import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTableSql } from '../../shared/outbox';

export class Initial1764100000000 implements MigrationInterface {
  name = 'Initial1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE conversation.conversations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id uuid NOT NULL,
        customer_id uuid,
        status text NOT NULL CHECK (status IN ('open', 'handed_off', 'resolved')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX conversations_workspace_created ON conversation.conversations (workspace_id, created_at DESC, id DESC)`);
    await db.query(`
      CREATE TABLE conversation.messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        workspace_id uuid NOT NULL,
        conversation_id uuid NOT NULL REFERENCES conversation.conversations(id),
        author text NOT NULL CHECK (author IN ('customer', 'ai', 'agent')),
        text text NOT NULL,
        page text,
        confidence real,
        decision text,
        hand_off_reason text,
        citations jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX messages_conversation ON conversation.messages (conversation_id, seq)`);
    for (const sql of outboxTableSql('conversation')) await db.query(sql);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE conversation.outbox_events, conversation.messages, conversation.conversations`);
  }
}
