/** What customers tell us about answers: ratings, resolution, asking for a person. */
import type { DataSource, EntityManager } from 'typeorm';
import { badInput, conflict } from '../../shared/errors';
import { recordEvents } from '../../shared/outbox';
import { rowsOf } from '../../shared/sql-rows';
import type { RequestContext } from '../../shared/request-context';
import { ConversationEntity } from '../conversation/conversation.entity';
import { claimFirstResolution, markFirstHandOff } from '../conversation/conversation-firsts';
import { changeConversation, lockedConversation } from '../conversation/locked-conversation';
import { conversationContext } from '../conversation/event-context';
import type { ConversationService } from '../conversation/conversation.service';
import { HandOffReason } from '../conversation/conversation.types';
import { MessageEntity } from '../conversation/message.entity';
import { type OutcomeReporter, voterOf } from '../conversation/outcome-reporter';
import { queueEscalationCommand } from '../escalation/escalation-commands';

export class CustomerSignalsService {
  constructor(
    private readonly db: DataSource,
    private readonly conversations: ConversationService,
    private readonly outcomes: OutcomeReporter,
  ) {}

  /** Each write takes an optional `remember`, run last inside its transaction (an idempotency key). */
  async rate(caller: RequestContext, messageId: string, rating: 'up' | 'down', secret?: string, remember?: (tx: EntityManager, rated: MessageEntity) => Promise<void>): Promise<MessageEntity> {
    const { message, conversation } = await this.conversations.messageForCaller(caller, messageId, secret);
    if (message.author !== 'ai') throw badInput('Only answers from the AI can be rated');
    const rated = await this.db.transaction(async (tx) => {
      const result = await tx.query(`UPDATE conversation.messages SET rating = $2 WHERE id = $1 AND rating IS NULL RETURNING id`, [message.id, rating]);
      if (rowsOf(result).length === 0) throw conflict('This answer was already rated');
      await recordEvents(tx, [
        {
          workspaceId: caller.workspaceId,
          type: 'answer_rated',
          payload: {
            conversationId: message.conversationId,
            messageId: message.id,
            rating: rating === 'up' ? 1 : -1,
            topic: message.topic,
            knowledgeItemId: message.citations[0]?.knowledgeItemId ?? '',
            ...conversationContext(conversation),
            ...askedFrom(message),
          },
        },
      ]);
      const rated = { ...message, rating } as MessageEntity;
      await remember?.(tx, rated);
      return rated;
    });
    if (message.citations.length > 0) await this.outcomes.report(caller.workspaceId, message, rating === 'up' ? 'rated_up' : 'rated_down', voterOf(conversation));
    return rated as MessageEntity;
  }

  async markResolved(caller: RequestContext, conversationId: string, secret?: string, remember?: (tx: EntityManager, resolved: ConversationEntity) => Promise<void>): Promise<ConversationEntity> {
    await this.conversations.getForCaller(caller, conversationId, secret);
    const lastAnswer = await this.lastAnswer(conversationId);
    const resolved = await this.db.transaction(async (tx) => {
      // Decided on the row as it is now, under its lock: the customer and an agent resolving at once make one resolution.
      const current = await lockedConversation(tx, caller.workspaceId, conversationId);
      if (current.status === 'resolved') throw conflict('This conversation is already resolved');
      const conversation = await changeConversation(tx, current, { status: 'resolved', resolvedAt: new Date() });
      const first = await claimFirstResolution(tx, conversationId);
      await recordEvents(tx, [
        {
          workspaceId: caller.workspaceId,
          type: 'resolved',
          payload: { conversationId, customerId: conversation.customerId ?? '', topic: conversation.topic, ...conversationContext(conversation), by: caller.role, knowledgeItemId: lastAnswer?.citations[0]?.knowledgeItemId ?? '', ...first },
        },
      ]);
      if (conversation.handedOffAt) await queueEscalationCommand(tx, { workspaceId: caller.workspaceId, conversationId, kind: 'resolved', payload: { agent: caller.subject } });
      await remember?.(tx, conversation);
      return conversation;
    });
    // A customer resolving right after an AI answer, with no hand-off, is the answer working.
    // Its time to resolution (from this answer) goes with it: knowledge keeps it per item and weighs a slow one less.
    if (lastAnswer && resolved.handedOffAt === null) {
      const secondsToResolution = Math.max(0, (resolved.resolvedAt!.getTime() - lastAnswer.createdAt.getTime()) / 1000);
      await this.outcomes.report(caller.workspaceId, lastAnswer, 'resolved', voterOf(resolved), { secondsToResolution });
    }
    return resolved;
  }

  async requestHuman(caller: RequestContext, conversationId: string, secret?: string, remember?: (tx: EntityManager, handedOff: ConversationEntity) => Promise<void>): Promise<ConversationEntity> {
    await this.conversations.getForCaller(caller, conversationId, secret);
    const lastAnswer = await this.lastAnswer(conversationId);
    const lastQuestion = await this.db.getRepository(MessageEntity).findOne({ where: { conversationId, author: 'customer' }, order: { seq: 'DESC' } });
    const lastTurn = lastAnswer ?? (await this.db.getRepository(MessageEntity).findOne({ where: { conversationId, author: 'ai' }, order: { seq: 'DESC' } }));
    const handedOff = await this.db.transaction(async (tx) => {
      // Decided on the row as it is now, under its lock: asking twice at once (or as an agent resolves) hands off once.
      const current = await lockedConversation(tx, caller.workspaceId, conversationId);
      if (current.status === 'resolved') throw conflict('This conversation is resolved; reopen it or start a new one');
      if (current.status === 'handed_off') throw conflict('This conversation is already with the support team');
      const conversation = await changeConversation(tx, current, { status: 'handed_off', handOffReason: HandOffReason.CUSTOMER_ASKED, handedOffAt: new Date() });
      await markFirstHandOff(tx, conversationId);
      await recordEvents(tx, [
        {
          workspaceId: caller.workspaceId,
          type: 'escalated',
          payload: {
            conversationId,
            customerId: conversation.customerId ?? '',
            topic: conversation.topic,
            handOffReason: HandOffReason.CUSTOMER_ASKED,
            by: 'customer',
            knowledgeItemId: lastAnswer?.citations[0]?.knowledgeItemId ?? '',
            text: lastQuestion?.text ?? '',
            ...conversationContext(conversation),
            ...(lastTurn ? askedFrom(lastTurn) : { page: lastQuestion?.page ?? '' }),
          },
        },
      ]);
      if (lastTurn) {
        await queueEscalationCommand(tx, { workspaceId: caller.workspaceId, conversationId, kind: 'hand_off', payload: { aiMessageId: lastTurn.id, reason: HandOffReason.CUSTOMER_ASKED } });
      }
      await remember?.(tx, conversation);
      return conversation;
    });
    if (lastAnswer) await this.outcomes.report(caller.workspaceId, lastAnswer, 'escalated', voterOf(handedOff));
    return handedOff;
  }

  private async lastAnswer(conversationId: string): Promise<MessageEntity | null> {
    return this.db.getRepository(MessageEntity).findOne({ where: { conversationId, author: 'ai', decision: 'answered' }, order: { seq: 'DESC' } });
  }
}

/**
 * The plan and page of the question an AI turn answered, which every friction signal about it carries (a rating, a
 * request for a person), so insights can place it without looking up the conversation.
 */
function askedFrom(turn: Pick<MessageEntity, 'page' | 'askerContext'>): { page: string; plan: string } {
  return { page: turn.page ?? '', plan: turn.askerContext?.plan ?? '' };
}
