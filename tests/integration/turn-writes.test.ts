/**
 * An ask's turn, written in one statement on the conversation service's real Postgres schema: a hand-off starts the
 * conversation handed off with its first hand-off stamped, the question before the AI's turn, one escalation command
 * (with its NOTIFY, delivered on commit) and the two events naming the messages; a follow-up moves the conversation
 * on without touching its firsts; a conversation of another workspace is refused with nothing written.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Turn, writeTurn } from '../../services/conversation/ask/turn-writes';
import { ESCALATION_COMMANDS_CHANNEL } from '../../services/conversation/escalation/escalation-commands';
import { openConversationDatabase } from '../../services/conversation/database';
import { useThrowawayDataSource } from '../helpers/database';

const store = useThrowawayDataSource('loopdesk_it_turn_writes', openConversationDatabase);

function turn(workspaceId: string, conversation: Turn['conversation'], handingOff: boolean): Turn {
  return {
    workspaceId,
    conversation,
    topic: 'exports',
    language: 'en',
    handOff: handingOff ? { reason: 'LOW_CONFIDENCE' } : null,
    question: { author: 'customer', authorId: 'customer:c1', text: 'how do I export?', page: '/contacts', citations: [], topic: 'exports', language: 'en' },
    answer: { author: 'ai', text: handingOff ? 'A teammate will reply here.' : 'Open Contacts and choose Export.', page: '/contacts', confidence: 0.4, decision: handingOff ? 'handed_off' : 'answered', handOffReason: handingOff ? 'LOW_CONFIDENCE' : null, citations: [], topic: 'exports', askerContext: null, contextKeys: ['plan:pro'], threshold: 0.85 },
    escalate: handingOff ? { reason: 'LOW_CONFIDENCE' } : null,
    events: ({ conversationId, questionId, answerId }) => [
      { workspaceId, type: 'question_asked', payload: { conversationId, messageId: questionId } },
      { workspaceId, type: handingOff ? 'handed_off' : 'answer_shown', payload: { conversationId, messageId: answerId } },
    ],
  };
}

/** The conversation's messages and escalation commands, and the workspace's outbox events. */
async function written(conversationId: string, workspaceId: string): Promise<{ messages: number; commands: number; events: number }> {
  const [counts] = await store.db.query(
    `SELECT (SELECT count(*)::int FROM conversation.messages WHERE conversation_id = $1) AS messages,
            (SELECT count(*)::int FROM conversation.escalation_commands WHERE conversation_id = $1) AS commands,
            (SELECT count(*)::int FROM conversation.outbox_events WHERE workspace_id = $2) AS events`,
    [conversationId, workspaceId],
  );
  return counts;
}

const started = (workspaceId: string) => ({ started: { workspaceId, customerId: null, channel: 'widget', secretHash: Buffer.from('secret'), firstTopic: 'exports', firstPlan: 'pro', firstPage: '/contacts' } });

describe('an ask turn written in one statement', () => {
  it('starts a handed-off conversation with its messages in order, one escalation command, a NOTIFY on commit, and its events', async () => {
    const workspaceId = randomUUID();
    const listener = new Client({ connectionString: store.url });
    await listener.connect();
    const notified: string[] = [];
    listener.on('notification', (message) => notified.push(message.channel));
    await listener.query(`LISTEN ${ESCALATION_COMMANDS_CHANNEL}`);
    try {
      const wrote = await writeTurn(store.db, turn(workspaceId, started(workspaceId), true));
      expect(wrote.conversation).toMatchObject({ workspaceId, status: 'handed_off', handOffReason: 'LOW_CONFIDENCE', channel: 'widget', topic: 'exports', firstPlan: 'pro', escalationLevel: 'agents' });
      expect(wrote.conversation.firstHandedOffAt).toBeInstanceOf(Date);
      // Whole milliseconds, as a JavaScript date holds it (as the customers' own hand-offs record it).
      expect(wrote.conversation.handedOffAt).toBeInstanceOf(Date);
      const [stored] = await store.db.query(`SELECT (extract(microseconds FROM handed_off_at)::bigint % 1000)::int AS micros FROM conversation.conversations WHERE id = $1`, [wrote.conversation.id]);
      expect(stored.micros).toBe(0);
      expect(BigInt(wrote.question.seq)).toBeLessThan(BigInt(wrote.answer.seq));

      const messages = await store.db.query(`SELECT id, author, seq::text, asker_context, context_keys, citations FROM conversation.messages WHERE conversation_id = $1 ORDER BY seq`, [wrote.conversation.id]);
      expect(messages.map((m: { id: string; author: string }) => [m.id, m.author])).toEqual([[wrote.question.id, 'customer'], [wrote.answer.id, 'ai']]);
      // A null context is SQL NULL (not JSON null); unset arrays take the column's default.
      expect(messages[1]).toMatchObject({ asker_context: null, context_keys: ['plan:pro'], citations: [] });
      const commands = await store.db.query(`SELECT kind, payload FROM conversation.escalation_commands WHERE conversation_id = $1`, [wrote.conversation.id]);
      expect(commands).toEqual([{ kind: 'hand_off', payload: { aiMessageId: wrote.answer.id, reason: 'LOW_CONFIDENCE' } }]);
      const events = await store.db.query(`SELECT type, payload->>'messageId' AS "messageId" FROM conversation.outbox_events WHERE workspace_id = $1 ORDER BY position`, [workspaceId]);
      expect(events).toEqual([{ type: 'question_asked', messageId: wrote.question.id }, { type: 'handed_off', messageId: wrote.answer.id }]);
      for (let i = 0; i < 50 && notified.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(notified).toEqual([ESCALATION_COMMANDS_CHANNEL]);
    } finally {
      await listener.end();
    }
  });

  it('moves a conversation on without restamping its first hand-off, and an answered turn queues no command', async () => {
    const workspaceId = randomUUID();
    const first = await writeTurn(store.db, turn(workspaceId, started(workspaceId), true));
    const followUp = await writeTurn(store.db, turn(workspaceId, { existing: first.conversation }, false));
    expect(followUp.conversation).toMatchObject({ id: first.conversation.id, status: 'handed_off', firstHandedOffAt: first.conversation.firstHandedOffAt });
    expect(followUp.conversation.updatedAt.getTime()).toBeGreaterThanOrEqual(first.conversation.updatedAt.getTime());
    expect(await written(first.conversation.id, workspaceId)).toEqual({ messages: 4, commands: 1, events: 4 });
  });

  it("refuses another workspace's conversation and writes nothing", async () => {
    const owner = randomUUID();
    const other = randomUUID();
    const first = await writeTurn(store.db, turn(owner, started(owner), false));
    await expect(writeTurn(store.db, turn(other, { existing: first.conversation }, true))).rejects.toThrow();
    expect(await written(first.conversation.id, other)).toEqual({ messages: 2, commands: 0, events: 0 });
  });
});
