/** Conversation reads: one conversation for its caller, its messages, and lists (newest first, cursor paged). */
import { DataSource, FindOptionsWhere, In, Repository } from 'typeorm';
import { DomainError, ErrorCode, notFound } from '../../shared/errors';
import { cursorPart, KeyedRow, keyedRows, keysetCursor, pageOf } from '../../shared/keyset-cursor';
import type { RequestContext } from '../../shared/request-context';
import type { AccountContextClient } from '../clients/account-context';
import { secretOpens } from './conversation-secret';
import { ConversationEntity, ConversationStatusValue } from './conversation.entity';
import { MessageEntity } from './message.entity';

export interface ConversationPage {
  rows: KeyedRow<ConversationEntity>[];
  hasNextPage: boolean;
}

export interface ConversationFilter {
  statuses?: ConversationStatusValue[];
  topic?: string;
  claimedBy?: string | null;
  unclaimedOnly?: boolean;
  group?: string;
  language?: string;
  /** Only these customers' conversations (an empty list matches none). */
  customerIds?: string[];
}

export class ConversationService {
  private readonly conversations: Repository<ConversationEntity>;
  private readonly messages: Repository<MessageEntity>;

  constructor(
    db: DataSource,
    private readonly accountContext: AccountContextClient,
  ) {
    this.conversations = db.getRepository(ConversationEntity);
    this.messages = db.getRepository(MessageEntity);
  }

  /**
   * Staff see every conversation of the workspace. A widget caller sees a signed-in customer's conversation only
   * as that customer, and an anonymous visitor's only with the secret it was started with. Anything else is
   * NOT_FOUND, as for an id that does not exist, so a guessed or leaked id says nothing.
   */
  async getForCaller(caller: RequestContext, id: string, secret?: string | null): Promise<ConversationEntity> {
    const conversation = await this.conversations
      .createQueryBuilder('c')
      .addSelect('c.secretHash')
      .where('c.id = :id AND c.workspace_id = :workspaceId', { id, workspaceId: caller.workspaceId })
      .getOne();
    if (!conversation || (caller.role === 'widget' && !(await this.widgetMayUse(caller, conversation, secret)))) throw notFound('Conversation', id);
    return conversation;
  }

  async messageForCaller(caller: RequestContext, messageId: string, secret?: string | null): Promise<{ message: MessageEntity; conversation: ConversationEntity }> {
    const message = await this.messages.findOneBy({ id: messageId, workspaceId: caller.workspaceId });
    if (!message) throw notFound('Message', messageId);
    try {
      return { message, conversation: await this.getForCaller(caller, message.conversationId, secret) };
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.NotFound) throw notFound('Message', messageId);
      throw error;
    }
  }

  private async widgetMayUse(caller: RequestContext, conversation: ConversationEntity, secret: string | null | undefined): Promise<boolean> {
    if (conversation.customerId === null) return secretOpens(conversation.secretHash, secret);
    const own = caller.customerId ? await this.accountContext.ensureCustomer(caller.workspaceId, caller.customerId) : null;
    return own === conversation.customerId;
  }

  /** questionsOnly: the customer's own messages, without the replies. */
  async messagesOf(workspaceId: string, conversationId: string, options: { questionsOnly?: boolean } = {}): Promise<MessageEntity[]> {
    const where: FindOptionsWhere<MessageEntity> = options.questionsOnly ? { workspaceId, conversationId, author: 'customer' } : { workspaceId, conversationId };
    return this.messages.find({ where, order: { seq: 'ASC' } });
  }

  async list(workspaceId: string, first: number, after: string | undefined, filter: ConversationFilter = {}): Promise<ConversationPage> {
    const query = this.conversations
      .createQueryBuilder('c')
      .where('c.workspace_id = :workspaceId', { workspaceId })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(first + 1);
    if (filter.customerIds !== undefined) {
      if (filter.customerIds.length === 0) return { rows: [], hasNextPage: false };
      query.andWhere('c.customer_id IN (:...customerIds)', { customerIds: filter.customerIds });
    }
    if (filter.statuses?.length) query.andWhere('c.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.topic !== undefined) query.andWhere('c.topic = :topic', { topic: filter.topic });
    if (filter.claimedBy) query.andWhere('c.claimed_by = :claimedBy', { claimedBy: filter.claimedBy });
    if (filter.unclaimedOnly) query.andWhere('c.claimed_by IS NULL');
    if (filter.group) query.andWhere('c.assigned_group = :group', { group: filter.group });
    if (filter.language) query.andWhere('c.language = :language', { language: filter.language });
    if (after) {
      const [createdAt, id] = conversationCursor.decode(after);
      query.andWhere('(c.created_at, c.id) < (:createdAt, :id)', { createdAt, id });
    }
    return pageOf(await keyedRows(query, 'created_at'), first);
  }

  async byIds(workspaceId: string, ids: string[]): Promise<ConversationEntity[]> {
    return this.conversations.findBy({ id: In(ids), workspaceId });
  }
}

/** A page of conversations ends at its last conversation's (created_at, id). */
const conversationCursor = keysetCursor([cursorPart.timestamp, cursorPart.uuid]);
export const encodeCursor = ({ row, sortKey }: KeyedRow<ConversationEntity>): string => conversationCursor.encode([sortKey, row.id]);
