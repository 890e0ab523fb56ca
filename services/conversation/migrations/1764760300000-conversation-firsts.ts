import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a conversation's response and resolution times are measured from, kept on the conversation itself: its
 * first question's topic, plan and page, and when it was first handed off, first answered by a person and first
 * resolved. The first reply and the first resolution then carry their duration on their event (see
 * conversation/conversation-firsts.ts), so the warehouse need not rebuild each conversation from its events.
 * Existing conversations are filled in from their messages, so their next reply is not taken for a first one.
 */
export class ConversationFirsts1764760300000 implements MigrationInterface {
  name = 'ConversationFirsts1764760300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE conversation.conversations
        ADD COLUMN first_topic text,
        ADD COLUMN first_plan text,
        ADD COLUMN first_page text,
        ADD COLUMN first_handed_off_at timestamptz,
        ADD COLUMN first_replied_at timestamptz,
        ADD COLUMN first_resolved_at timestamptz`);
    await db.query(`
      UPDATE conversation.conversations c
         SET first_handed_off_at = coalesce(
               (SELECT min(m.created_at) FROM conversation.messages m
                 WHERE m.conversation_id = c.id AND m.author = 'ai' AND m.decision = 'handed_off'),
               c.handed_off_at),
             first_replied_at = (SELECT min(m.created_at) FROM conversation.messages m WHERE m.conversation_id = c.id AND m.author = 'agent'),
             first_resolved_at = c.resolved_at,
             first_topic = first.topic,
             first_plan = coalesce(first.asker_context->>'plan', ''),
             first_page = coalesce(first.page, '')
        FROM (SELECT DISTINCT ON (conversation_id) conversation_id, topic, asker_context, page
                FROM conversation.messages WHERE author = 'ai' ORDER BY conversation_id, seq) AS first
       WHERE first.conversation_id = c.id`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE conversation.conversations
        DROP COLUMN first_topic, DROP COLUMN first_plan, DROP COLUMN first_page,
        DROP COLUMN first_handed_off_at, DROP COLUMN first_replied_at, DROP COLUMN first_resolved_at`);
  }
}
