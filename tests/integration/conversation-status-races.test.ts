/**
 * Status changes that race, on the conversation service's real Postgres schema. Each request first reads the
 * conversation as its caller may see it, and decides again under the row lock: two resolutions at once make one
 * resolution (one event, one escalation command, the other told CONFLICT), two requests for a person hand off once,
 * and a question whose conversation was resolved while it was being answered writes nothing.
 *
 * Both requests are made to wait at the row lock (a test transaction holds it until both are queued behind it), so
 * they always race past their first read: without the locked re-check both succeeded.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Turn, writeTurn } from '../../services/conversation/ask/turn-writes';
import type { AccountContextClient } from '../../services/conversation/clients/account-context';
import type { KnowledgeClient } from '../../services/conversation/clients/knowledge';
import { AgentActionsService } from '../../services/conversation/agent-actions/agent-actions.service';
import { ClaimGuard } from '../../services/conversation/assignment/claim-guard';
import { ConversationEntity } from '../../services/conversation/conversation/conversation.entity';
import { ConversationService } from '../../services/conversation/conversation/conversation.service';
import { HandOffReason } from '../../services/conversation/conversation/conversation.types';
import { OutcomeReporter } from '../../services/conversation/conversation/outcome-reporter';
import { CustomerSignalsService } from '../../services/conversation/customer-signals/customer-signals.service';
import { openConversationDatabase } from '../../services/conversation/database';
import { ErrorCode } from '../../services/shared/errors';
import { createLogger } from '../../services/shared/logger';
import type { RequestContext } from '../../services/shared/request-context';
import { eventually } from '../helpers/eventually';
import { useThrowawayDataSource } from '../helpers/database';

const store = useThrowawayDataSource('loopdesk_it_status_races', openConversationDatabase);

/** A client these paths must not call (the conversations here have no AI answer to report on). */
function unused<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: () => {
      throw new Error(`${name} is not called on this path`);
    },
  });
}

function signals(): CustomerSignalsService {
  const conversations = new ConversationService(store.db, unused<AccountContextClient>('account-context'));
  return new CustomerSignalsService(store.db, conversations, new OutcomeReporter(store.db, unused<KnowledgeClient>('knowledge'), createLogger('test', 'silent')));
}

const agent = (workspaceId: string): RequestContext => ({ workspaceId, role: 'agent', subject: 'key:agent-1', requestId: randomUUID(), issuedAt: Date.now() });

async function conversation(workspaceId: string, status: 'open' | 'handed_off'): Promise<string> {
  const [row] = await store.db.query(
    `INSERT INTO conversation.conversations (workspace_id, status, topic, hand_off_reason, handed_off_at)
     VALUES ($1, $2, 'exports', CASE WHEN $2 = 'handed_off' THEN 'LOW_CONFIDENCE' END, CASE WHEN $2 = 'handed_off' THEN now() END) RETURNING id`,
    [workspaceId, status],
  );
  return row.id;
}

/**
 * Runs `requests` while a transaction holds the conversation's (or a message's) row lock, releasing it once every request waits
 * for that lock (each has made its first read by then); resolves to how each request settled.
 */
async function raceAtTheLock<T>(conversationId: string, requests: Array<() => Promise<T>>, table = 'conversations'): Promise<PromiseSettledResult<T>[]> {
  const holder = store.db.createQueryRunner();
  await holder.connect();
  try {
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM conversation.${table} WHERE id = $1 FOR UPDATE`, [conversationId]);
    const settled = Promise.allSettled(requests.map((request) => request()));
    await eventually(
      async () => (await store.db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`))[0].n,
      (waiting: number) => waiting >= requests.length,
    );
    await holder.commitTransaction();
    return await settled;
  } finally {
    await holder.release();
  }
}

async function counts(conversationId: string, workspaceId: string): Promise<Record<string, number>> {
  const [row] = await store.db.query(
    `SELECT (SELECT count(*)::int FROM conversation.outbox_events WHERE workspace_id = $2 AND type = 'resolved') AS "resolvedEvents",
            (SELECT count(*)::int FROM conversation.outbox_events WHERE workspace_id = $2 AND type = 'escalated') AS "escalatedEvents",
            (SELECT count(*)::int FROM conversation.escalation_commands WHERE conversation_id = $1 AND kind = 'resolved') AS "resolvedCommands",
            (SELECT count(*)::int FROM conversation.messages WHERE conversation_id = $1) AS messages`,
    [conversationId, workspaceId],
  );
  return row;
}

const codes = (settled: PromiseSettledResult<unknown>[]) =>
  settled.map((result) => (result.status === 'fulfilled' ? 'ok' : (result.reason as { code?: string }).code)).sort();

describe('conversation status changes that race', () => {
  it('two resolutions at once resolve once: one event, one escalation command, the other CONFLICT', async () => {
    const workspaceId = randomUUID();
    const id = await conversation(workspaceId, 'handed_off');
    const sut = signals();
    const settled = await raceAtTheLock(id, [() => sut.markResolved(agent(workspaceId), id), () => sut.markResolved(agent(workspaceId), id)]);
    expect(codes(settled)).toEqual([ErrorCode.Conflict, 'ok'].sort());
    expect(await counts(id, workspaceId)).toMatchObject({ resolvedEvents: 1, resolvedCommands: 1 });
  });

  it('two requests for a person at once hand off once, and a resolution racing one keeps the conversation as the winner left it', async () => {
    const workspaceId = randomUUID();
    const id = await conversation(workspaceId, 'open');
    const sut = signals();
    const settled = await raceAtTheLock(id, [() => sut.requestHuman(agent(workspaceId), id), () => sut.requestHuman(agent(workspaceId), id)]);
    expect(codes(settled)).toEqual([ErrorCode.Conflict, 'ok'].sort());
    expect(await counts(id, workspaceId)).toMatchObject({ escalatedEvents: 1 });

    // The resolution that waited behind a hand-off sees it: the resolved row keeps the hand-off it did not know of.
    const other = await conversation(workspaceId, 'open');
    const raced = await raceAtTheLock(other, [() => sut.requestHuman(agent(workspaceId), other), () => sut.markResolved(agent(workspaceId), other)]);
    const [row] = await store.db.query(`SELECT status, hand_off_reason, handed_off_at IS NOT NULL AS "handedOff" FROM conversation.conversations WHERE id = $1`, [other]);
    if (raced.every((result) => result.status === 'fulfilled')) {
      expect(row).toEqual({ status: 'resolved', hand_off_reason: HandOffReason.CUSTOMER_ASKED, handedOff: true });
      expect(await counts(other, workspaceId)).toMatchObject({ resolvedCommands: 1 });
    } else {
      // The resolution went first; the request for a person was then refused.
      expect(codes(raced)).toEqual([ErrorCode.Conflict, 'ok'].sort());
      expect(row).toEqual({ status: 'resolved', hand_off_reason: null, handedOff: false });
    }
  });

  it('two deliveries of corrections to one AI turn at once deliver one agent message, and both return it', async () => {
    const workspaceId = randomUUID();
    const id = await conversation(workspaceId, 'handed_off');
    const [turn] = await store.db.query(
      `INSERT INTO conversation.messages (workspace_id, conversation_id, author, text, topic, decision, hand_off_reason) VALUES ($1, $2, 'ai', 'A teammate will reply here.', 'exports', 'handed_off', 'LOW_CONFIDENCE') RETURNING id`,
      [workspaceId, id],
    );
    const conversations = new ConversationService(store.db, unused<AccountContextClient>('account-context'));
    const outcomes = new OutcomeReporter(store.db, unused<KnowledgeClient>('knowledge'), createLogger('test', 'silent'));
    const sut = new AgentActionsService(store.db, conversations, unused<KnowledgeClient>('knowledge'), outcomes, null, new ClaimGuard(unused<AccountContextClient>('account-context')));
    const deliver = (agentId: string, text: string) => () => sut.deliver(workspaceId, { messageId: turn.id, correctedText: text, knowledgeItemIds: [], agent: agentId });
    const settled = await raceAtTheLock(turn.id, [deliver('key:agent-1', 'Open Contacts, then Export.'), deliver('key:agent-2', 'Use the export button.')], 'messages');
    expect(settled.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
    const delivered = settled.map((result) => (result as PromiseFulfilledResult<{ agentMessageId: string }>).value.agentMessageId);
    expect(delivered[0]).toBe(delivered[1]);
    const agentMessages = await store.db.query(`SELECT id FROM conversation.messages WHERE corrects_message_id = $1`, [turn.id]);
    expect(agentMessages).toEqual([{ id: delivered[0] }]);
  });

  it('a question whose conversation was resolved while it was answered writes nothing and says why', async () => {
    const workspaceId = randomUUID();
    const id = await conversation(workspaceId, 'handed_off');
    // As the ask read it when the question came in: handed off, not resolved.
    const existing = await store.db.getRepository(ConversationEntity).findOneByOrFail({ id });
    await signals().markResolved(agent(workspaceId), id);
    const turn: Turn = {
      workspaceId,
      conversation: { existing },
      topic: 'exports',
      language: 'en',
      handOff: { reason: 'LOW_CONFIDENCE' },
      question: { author: 'customer', authorId: 'customer:c1', text: 'and the CSV?', page: null, citations: [], topic: 'exports', language: 'en' },
      answer: { author: 'ai', text: 'A teammate will reply here.', page: null, confidence: 0.2, decision: 'handed_off', handOffReason: 'LOW_CONFIDENCE', citations: [], topic: 'exports', askerContext: null, contextKeys: [], threshold: 0.85 },
      escalate: { reason: 'LOW_CONFIDENCE' },
      events: () => [{ workspaceId, type: 'question_asked', payload: { conversationId: id } }],
    };
    await expect(writeTurn(store.db, turn)).rejects.toMatchObject({ code: ErrorCode.BadUserInput, message: expect.stringContaining('resolved') });
    expect(await counts(id, workspaceId)).toEqual({ resolvedEvents: 1, escalatedEvents: 0, resolvedCommands: 1, messages: 0 });
    const [row] = await store.db.query(`SELECT status FROM conversation.conversations WHERE id = $1`, [id]);
    expect(row.status).toBe('resolved');
  });
});
