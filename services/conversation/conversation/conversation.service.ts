/** Conversations and the ask path: retrieve, decide, record the turn and its events in one transaction. */
import { DataSource, Repository } from 'typeorm';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { recordEvents } from '../../shared/outbox';
import type { RequestContext } from '../../shared/request-context';
import type { AccountContextClient } from '../clients/account-context';
import type { KnowledgeClient } from '../clients/knowledge';
import { decide } from './answer-policy';
import { ConversationEntity } from './conversation.entity';
import { AnswerDecision, HandOffReason } from './conversation.types';
import { MessageEntity } from './message.entity';

export interface AskCommand {
  conversationId?: string;
  text: string;
  page?: string;
}

export interface AskResult {
  conversation: ConversationEntity;
  message: MessageEntity;
  decision: AnswerDecision;
  handOffReason: HandOffReason | null;
  confidence: number;
  latencyMs: number;
}

export interface ConversationPage {
  rows: ConversationEntity[];
  hasNextPage: boolean;
}

const NO_ANSWER = "I'm not sure about this one, so I've passed your question to our support team. Someone will reply here shortly.";

export class ConversationService {
  private readonly conversations: Repository<ConversationEntity>;
  private readonly messages: Repository<MessageEntity>;

  constructor(
    private readonly db: DataSource,
    private readonly knowledge: KnowledgeClient,
    private readonly accountContext: AccountContextClient,
    private readonly maxQuestionBytes: number,
  ) {
    this.conversations = db.getRepository(ConversationEntity);
    this.messages = db.getRepository(MessageEntity);
  }

  async ask(caller: RequestContext, command: AskCommand): Promise<AskResult> {
    const started = performance.now();
    const text = command.text.trim();
    if (text.length === 0) throw badInput('text must not be empty');
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.maxQuestionBytes) throw badInput(`text is ${bytes} bytes; at most ${this.maxQuestionBytes} are allowed`);

    const existing = command.conversationId ? await this.getForCaller(caller, command.conversationId) : null;
    if (existing?.status === 'resolved') throw badInput('This conversation is resolved; start a new one to ask again');
    const customerId = existing?.customerId ?? (caller.customerId ? await this.accountContext.ensureCustomer(caller.workspaceId, caller.customerId) : null);
    const passages = await this.knowledge.retrieve(caller.workspaceId, text, 5);
    const verdict = decide(text, passages);

    return this.db.transaction(async (tx) => {
      const conversation = existing ?? tx.getRepository(ConversationEntity).create({ workspaceId: caller.workspaceId, customerId, status: 'open' });
      conversation.status = verdict.decision === AnswerDecision.HANDED_OFF ? 'handed_off' : conversation.status;
      await tx.getRepository(ConversationEntity).save(conversation);
      const messages = tx.getRepository(MessageEntity);
      const question = await messages.save(
        messages.create({ workspaceId: caller.workspaceId, conversationId: conversation.id, author: 'customer', text, page: command.page ?? null, citations: [] }),
      );
      const answered = verdict.decision === AnswerDecision.ANSWERED && verdict.best;
      const message = await messages.save(
        messages.create({
          workspaceId: caller.workspaceId,
          conversationId: conversation.id,
          author: 'ai',
          text: answered ? verdict.best!.text : NO_ANSWER,
          page: command.page ?? null,
          confidence: verdict.confidence,
          decision: verdict.decision,
          handOffReason: verdict.handOffReason,
          citations: answered
            ? [{ knowledgeItemId: verdict.best!.knowledgeItemId, itemVersion: verdict.best!.itemVersion, passageId: verdict.best!.passageId, passage: verdict.best!.text }]
            : [],
        }),
      );
      const latencyMs = Math.round(performance.now() - started);
      await recordEvents(tx, [
        {
          workspaceId: caller.workspaceId,
          type: 'question_asked',
          payload: { conversationId: conversation.id, messageId: question.id, customerId, page: command.page ?? '', text },
        },
        {
          workspaceId: caller.workspaceId,
          type: verdict.decision === AnswerDecision.ANSWERED ? 'answer_shown' : 'handed_off',
          payload: {
            conversationId: conversation.id,
            messageId: message.id,
            customerId,
            page: command.page ?? '',
            topic: verdict.best?.topic ?? '',
            knowledgeItemId: answered ? verdict.best!.knowledgeItemId : '',
            confidence: verdict.confidence,
            decision: verdict.decision,
            handOffReason: verdict.handOffReason ?? '',
            latencyMs,
          },
        },
      ]);
      return { conversation, message, decision: verdict.decision, handOffReason: verdict.handOffReason, confidence: verdict.confidence, latencyMs };
    });
  }

  /** A widget caller sees only its own conversations; staff see every conversation of the workspace. */
  async getForCaller(caller: RequestContext, id: string): Promise<ConversationEntity> {
    const conversation = await this.conversations.findOneBy({ id, workspaceId: caller.workspaceId });
    if (!conversation) throw notFound('Conversation', id);
    if (caller.role === 'widget' && conversation.customerId !== null) {
      const own = caller.customerId ? await this.accountContext.ensureCustomer(caller.workspaceId, caller.customerId) : null;
      if (own !== conversation.customerId) throw forbidden('A widget can only read the conversations of its own customer');
    }
    return conversation;
  }

  async messagesOf(workspaceId: string, conversationId: string): Promise<MessageEntity[]> {
    return this.messages.find({ where: { workspaceId, conversationId }, order: { seq: 'ASC' } });
  }

  /** Newest first; the cursor is the last row's (created_at, id). */
  async list(workspaceId: string, first: number, after?: string): Promise<ConversationPage> {
    const query = this.conversations
      .createQueryBuilder('c')
      .where('c.workspace_id = :workspaceId', { workspaceId })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(first + 1);
    if (after) {
      const cursor = decodeCursor(after);
      query.andWhere('(c.created_at, c.id) < (:createdAt, :id)', cursor);
    }
    const rows = await query.getMany();
    return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
  }
}

export function encodeCursor(row: ConversationEntity): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string') throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw badInput('after must be a cursor returned by this API');
  }
}
