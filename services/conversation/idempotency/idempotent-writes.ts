/**
 * The conversation subgraph's writes made idempotent: what each stores under its key and how a retry gets the
 * first result back (the same ids, read as they are now). Resolvers wrap a service call in one of these; the
 * service runs the `remember` it is given last inside its own transaction.
 */
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '../../shared/errors';
import type { RequestContext } from '../../shared/request-context';
import type { AskResult } from '../ask/ask.service';
import { ConversationEntity } from '../conversation/conversation.entity';
import { AnswerDecision, HandOffReason } from '../conversation/conversation.types';
import { MessageEntity } from '../conversation/message.entity';
import { IdempotencyKeys, idempotentRequest } from './idempotency-keys';

type Write<T> = (remember: (tx: EntityManager, result: T) => Promise<void>) => Promise<T>;

interface StoredAsk {
  conversationId: string;
  messageId: string;
  decision: AnswerDecision;
  handOffReason: HandOffReason | null;
  confidence: number;
  latencyMs: number;
  conversationSecret: string | null;
}

/** A write's input as the key guards it: everything the client sent except the key itself. */
function payloadOf(input: object): Record<string, unknown> {
  const { idempotencyKey: _key, ...payload } = input as Record<string, unknown>;
  return payload;
}

export class IdempotentWrites {
  constructor(
    private readonly keys: IdempotencyKeys,
    private readonly db: DataSource,
  ) {}

  ask(auth: RequestContext, input: { idempotencyKey?: string | null }, write: Write<AskResult>): Promise<AskResult> {
    return this.keys.once<AskResult, StoredAsk>(
      idempotentRequest(auth, 'ask', input.idempotencyKey, payloadOf(input)),
      (remember) =>
        write((tx, turn) =>
          remember(tx, {
            conversationId: turn.conversation.id,
            messageId: turn.message.id,
            decision: turn.decision,
            handOffReason: turn.handOffReason,
            confidence: turn.confidence,
            latencyMs: turn.latencyMs,
            conversationSecret: turn.conversationSecret,
          }),
        ),
      async (stored) => ({
        conversation: await this.conversation(auth.workspaceId, stored.conversationId),
        message: await this.message(auth.workspaceId, stored.messageId),
        decision: stored.decision,
        handOffReason: stored.handOffReason,
        confidence: stored.confidence,
        latencyMs: stored.latencyMs,
        conversationSecret: stored.conversationSecret,
      }),
    );
  }

  /** A write whose result is a conversation (signals about it, agent actions on it). */
  conversationWrite(auth: RequestContext, operation: string, input: { idempotencyKey?: string | null }, write: Write<ConversationEntity>): Promise<ConversationEntity> {
    return this.keys.once<ConversationEntity, { conversationId: string }>(
      idempotentRequest(auth, operation, input.idempotencyKey, payloadOf(input)),
      (remember) => write((tx, conversation) => remember(tx, { conversationId: conversation.id })),
      (stored) => this.conversation(auth.workspaceId, stored.conversationId),
    );
  }

  /** A write whose result is a message (a rating, an agent's reply). */
  messageWrite(auth: RequestContext, operation: string, input: { idempotencyKey?: string | null }, write: Write<MessageEntity>): Promise<MessageEntity> {
    return this.keys.once<MessageEntity, { messageId: string }>(
      idempotentRequest(auth, operation, input.idempotencyKey, payloadOf(input)),
      (remember) => write((tx, message) => remember(tx, { messageId: message.id })),
      (stored) => this.message(auth.workspaceId, stored.messageId),
    );
  }

  /**
   * A write that spans other services and workflows (a correction), so its key cannot share one transaction with
   * it: the key is recorded right after it succeeds. The correction itself is idempotent per corrected message.
   */
  afterwards<T, S>(auth: RequestContext, operation: string, input: { idempotencyKey?: string | null }, write: () => Promise<T>, store: (result: T) => S, replay: (stored: S) => Promise<T>): Promise<T> {
    return this.keys.once<T, S>(
      idempotentRequest(auth, operation, input.idempotencyKey, payloadOf(input)),
      async (remember) => {
        const result = await write();
        await this.db.transaction((tx) => remember(tx, store(result)));
        return result;
      },
      replay,
    );
  }

  async conversation(workspaceId: string, id: string): Promise<ConversationEntity> {
    const found = await this.db.getRepository(ConversationEntity).findOneBy({ id, workspaceId });
    if (!found) throw notFound('Conversation', id);
    return found;
  }

  async message(workspaceId: string, id: string): Promise<MessageEntity> {
    const found = await this.db.getRepository(MessageEntity).findOneBy({ id, workspaceId });
    if (!found) throw notFound('Message', id);
    return found;
  }
}
