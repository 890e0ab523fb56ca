/**
 * What agents do with handed-off conversations: claim, reply, correct the AI, resolve, reopen. A correction
 * teaches knowledge first (idempotent on the corrected message), then records the agent's answer here, so a
 * retry after a failure in between neither loses the lesson nor learns it twice.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { CORRECTION_IN_PROGRESS } from '../../../workflows/escalation-contract';
import { DomainError, ErrorCode, badInput, conflict, notFound, unavailable } from '../../shared/errors';
import { recordEvents } from '../../shared/outbox';
import { rowsOf } from '../../shared/sql-rows';
import type { RequestContext } from '../../shared/request-context';
import type { KnowledgeClient, LearnedAnswer } from '../clients/knowledge';
import { ConversationEntity } from '../conversation/conversation.entity';
import { claimFirstReply, claimFirstResolution } from '../conversation/conversation-firsts';
import { changeConversation, lockedConversation } from '../conversation/locked-conversation';
import { conversationContext } from '../conversation/event-context';
import type { ConversationService } from '../conversation/conversation.service';
import { MessageEntity } from '../conversation/message.entity';
import type { ClaimGuard } from '../assignment/claim-guard';
import type { OutcomeReporter } from '../conversation/outcome-reporter';
import type { EscalationClient } from '../escalation/escalation-client';
import { queueEscalationCommand } from '../escalation/escalation-commands';
import { CorrectionScopeKind, askedContext, correctionScope } from './correction-scope';

export interface CorrectionCommand {
  messageId: string;
  correctedText: string;
  knowledgeItemIds: string[];
  /** Where the correction applies; default: the context it was made in. */
  scope?: CorrectionScopeKind;
  /**
   * The client sent an idempotency key: this may be a retry of an attempt whose response was lost (the process
   * died, or the client gave up waiting) after the correction was applied, or while it still is.
   */
  mayBeRetry?: boolean;
}

export interface CorrectionResult {
  conversation: ConversationEntity;
  message: MessageEntity;
  /**
   * The learned answer now serving similar questions, and whether the correction made it or added a phrasing to
   * it; no item when the workspace's learning is frozen.
   */
  learned: { knowledgeItemId: string | null; outcome: LearnedAnswer['outcome'] };
}

/** Runs last inside an action's transaction: records its idempotency key with the result. */
type Remembered<T> = (tx: EntityManager, result: T) => Promise<void>;

export class AgentActionsService {
  constructor(
    private readonly db: DataSource,
    private readonly conversations: ConversationService,
    private readonly knowledge: KnowledgeClient,
    private readonly outcomes: OutcomeReporter,
    private readonly escalations: EscalationClient | null,
    private readonly claims: ClaimGuard,
  ) {}

  /** The writes take an optional `remember`, run last inside their transaction (an idempotency key). */
  async claim(caller: RequestContext, conversationId: string, remember?: Remembered<ConversationEntity>): Promise<ConversationEntity> {
    const conversation = await this.conversations.getForCaller(caller, conversationId);
    if (conversation.status === 'resolved') throw conflict('A resolved conversation cannot be claimed; reopen it first');
    if (conversation.claimedBy === caller.subject) return conversation;
    // A claim held by someone since deactivated is taken over; any other is refused.
    const voidClaim = await this.claims.claimableFrom(caller.workspaceId, conversation.claimedBy, 'claim');
    return this.db.transaction(async (tx) => {
      const result = await tx.query(
        `UPDATE conversation.conversations SET claimed_by = $2, claimed_at = now(), updated_at = now() WHERE id = $1 AND claimed_by IS NOT DISTINCT FROM $3 RETURNING id`,
        [conversation.id, caller.subject, voidClaim ?? null],
      );
      if (rowsOf(result).length === 0) throw conflict('Another agent claimed this conversation first');
      await recordEvents(tx, [{ workspaceId: caller.workspaceId, type: 'claimed', payload: { conversationId, agent: caller.subject, topic: conversation.topic } }]);
      if (conversation.handedOffAt) await queueEscalationCommand(tx, { workspaceId: caller.workspaceId, conversationId, kind: 'claim', payload: { agent: caller.subject } });
      const claimed = await tx.getRepository(ConversationEntity).findOneByOrFail({ id: conversation.id });
      await remember?.(tx, claimed);
      return claimed;
    });
  }

  async reply(caller: RequestContext, conversationId: string, text: string, remember?: Remembered<MessageEntity>): Promise<MessageEntity> {
    const conversation = await this.conversations.getForCaller(caller, conversationId);
    if (conversation.status === 'resolved') throw conflict('This conversation is resolved; reopen it to reply');
    const body = text.trim();
    if (!body) throw badInput('text must not be empty');
    await this.claims.assertMayAct(caller, conversation, 'reply to');
    return this.db.transaction(async (tx) => {
      await this.claims.assertMayActLocked(tx, caller, conversationId, 'reply to');
      const message = await tx.getRepository(MessageEntity).save(
        tx.getRepository(MessageEntity).create({
          workspaceId: caller.workspaceId,
          conversationId,
          author: 'agent',
          authorId: caller.subject,
          text: body,
          citations: [],
          topic: conversation.topic,
        }),
      );
      await tx.query(`UPDATE conversation.conversations SET updated_at = now() WHERE id = $1`, [conversationId]);
      const first = await claimFirstReply(tx, conversationId);
      await recordEvents(tx, [{ workspaceId: caller.workspaceId, type: 'agent_replied', payload: { conversationId, messageId: message.id, agent: caller.subject, topic: conversation.topic, ...first } }]);
      if (conversation.handedOffAt) await queueEscalationCommand(tx, { workspaceId: caller.workspaceId, conversationId, kind: 'reply', payload: { agent: caller.subject } });
      await remember?.(tx, message);
      return message;
    });
  }

  async correct(caller: RequestContext, command: CorrectionCommand): Promise<CorrectionResult> {
    const { message: aiMessage, conversation } = await this.conversations.messageForCaller(caller, command.messageId);
    if (aiMessage.author !== 'ai') throw badInput('Only an answer from the AI can be corrected; this message is from the ' + aiMessage.author);
    const correctedText = command.correctedText.trim();
    if (aiMessage.correctedAt) {
      const earlier = command.mayBeRetry ? await this.sameCorrection(caller, aiMessage, conversation, correctedText) : null;
      if (earlier) return earlier;
      throw conflict('This answer was already corrected');
    }
    await this.claims.assertMayAct(caller, conversation, 'correct');
    if (!correctedText) throw badInput('correctedText must not be empty');
    const questionText = await this.questionBefore(aiMessage);
    if (!questionText) throw badInput('The corrected answer has no customer question to learn from');
    const correctedItemIds = [...new Set(aiMessage.citations.map((c) => c.knowledgeItemId))];
    const locale = conversation.language ?? undefined;
    const { plans: scopePlans, areas: scopeAreas } = correctionScope(aiMessage, command.scope ?? 'asked_context');
    const asked = askedContext(aiMessage);
    const request = { messageId: aiMessage.id, question: questionText, correctedText, knowledgeItemIds: command.knowledgeItemIds, agent: caller.subject, correctedItemIds, locale, scopePlans, scopeAreas, ...asked };
    // The workflow's own refusal, given here: once the case has closed (its reopen window passed) there is no run to ask.
    if (this.escalations && conversation.handedOffAt && conversation.status === 'resolved') throw conflict('This case is closed; reopen the conversation first');
    if (this.escalations && conversation.handedOffAt) {
      // A handed-off conversation has an escalation workflow: the correction is its validated update.
      let applied;
      try {
        applied = await this.escalations.submitCorrection(conversation.id, request);
      } catch (error) {
        // A retry that overtook its own first attempt: that one is still being applied, so this is not a conflict
        // with anyone; the client retries (with its key) and gets the correction once it is done.
        if (command.mayBeRetry && error instanceof DomainError && error.message === CORRECTION_IN_PROGRESS) {
          throw unavailable('This correction is still being applied; retry in a moment');
        }
        // The workflow applies a correction inside one workflow task, and takes the next update only after it: a
        // retry that arrived meanwhile is validated once its first attempt is done, and finds the turn corrected,
        // by this same correction when the agent and text match.
        if (command.mayBeRetry && error instanceof DomainError && error.code === ErrorCode.Conflict) {
          const { message: now } = await this.conversations.messageForCaller(caller, command.messageId);
          const earlier = now.correctedAt ? await this.sameCorrection(caller, now, conversation, correctedText) : null;
          if (earlier) return earlier;
        }
        throw error;
      }
      const message = await this.db.getRepository(MessageEntity).findOneByOrFail({ id: applied.agentMessageId });
      const refreshed = await this.db.getRepository(ConversationEntity).findOneByOrFail({ id: conversation.id });
      return { conversation: refreshed, message, learned: { knowledgeItemId: applied.learnedAnswerId, outcome: applied.learning } };
    }
    const learned = await this.knowledge.learnFromCorrection(caller.workspaceId, {
      conversationId: conversation.id,
      messageId: aiMessage.id,
      question: questionText,
      correctedText,
      references: command.knowledgeItemIds,
      agent: caller.subject,
      idempotencyKey: `correction:${aiMessage.id}`,
      correctedItemIds,
      locale,
      scopePlans,
      scopeAreas,
      ...asked,
    });
    const learnedAnswerId = learned.knowledgeItem?.id ?? null;
    const { agentMessageId } = await this.deliver(caller.workspaceId, { ...request, learnedAnswerId });
    const message = await this.db.getRepository(MessageEntity).findOneByOrFail({ id: agentMessageId });
    // Two corrections of one turn at once: the one delivered first is the correction; the other is told so.
    if (message.authorId !== caller.subject || message.text !== correctedText) throw conflict('This answer was already corrected');
    return { conversation, message, learned: { knowledgeItemId: learnedAnswerId, outcome: learned.outcome } };
  }

  /**
   * A retried correction (same key) whose first attempt was applied but whose response was lost: the same agent,
   * the same text, already delivered. Returns it as the first attempt would have; null when it is someone else's
   * correction (a real CONFLICT). Knowledge replays its learning by the correction's key and changes nothing.
   */
  private async sameCorrection(caller: RequestContext, aiMessage: MessageEntity, conversation: ConversationEntity, correctedText: string): Promise<CorrectionResult | null> {
    const delivered = await this.db.getRepository(MessageEntity).findOneBy({ correctsMessageId: aiMessage.id, workspaceId: caller.workspaceId });
    if (!delivered || delivered.authorId !== caller.subject || delivered.text !== correctedText) return null;
    const learnedAnswerId = delivered.citations[0]?.knowledgeItemId ?? null;
    let outcome: LearnedAnswer['outcome'] = 'not_learned';
    if (learnedAnswerId) {
      const question = (await this.questionBefore(aiMessage)) ?? '';
      const learned = await this.knowledge.learnFromCorrection(caller.workspaceId, {
        conversationId: conversation.id,
        messageId: aiMessage.id,
        question,
        correctedText,
        references: [],
        agent: caller.subject,
        idempotencyKey: `correction:${aiMessage.id}`,
        correctedItemIds: [],
        locale: conversation.language ?? undefined,
      });
      outcome = learned.outcome;
    }
    const refreshed = await this.db.getRepository(ConversationEntity).findOneByOrFail({ id: conversation.id });
    return { conversation: refreshed, message: delivered, learned: { knowledgeItemId: learnedAnswerId, outcome } };
  }

  /**
   * Tells the customer the corrected answer: one agent message per corrected AI turn, however often this
   * runs (the escalation workflow's activity may retry it), and grades the AI turn once.
   */
  async deliver(
    workspaceId: string,
    request: { messageId: string; correctedText: string; knowledgeItemIds: string[]; learnedAnswerId?: string | null; agent: string },
  ): Promise<{ agentMessageId: string }> {
    const aiMessage = await this.db.getRepository(MessageEntity).findOneBy({ id: request.messageId, workspaceId });
    if (!aiMessage) throw notFound('Message', request.messageId);
    if (aiMessage.author !== 'ai') throw badInput('Only an answer from the AI can be corrected');
    const delivered = await this.db.transaction(async (tx) => {
      // Marking the turn takes its row lock: a delivery running at the same time waits here, then finds the turn
      // marked and the first delivery's message (committed with the mark), instead of inserting a second one.
      const marked = rowsOf(await tx.query(`UPDATE conversation.messages SET corrected_at = now() WHERE id = $1 AND corrected_at IS NULL RETURNING id`, [aiMessage.id]));
      if (marked.length === 0) {
        const existing = await tx.getRepository(MessageEntity).findOneBy({ correctsMessageId: aiMessage.id });
        if (!existing) throw conflict('This answer was already corrected');
        return { agentMessageId: existing.id, first: false };
      }
      const message = await tx.getRepository(MessageEntity).save(
        tx.getRepository(MessageEntity).create({
          workspaceId,
          conversationId: aiMessage.conversationId,
          author: 'agent',
          authorId: request.agent,
          text: request.correctedText.trim(),
          citations: request.learnedAnswerId ? [{ knowledgeItemId: request.learnedAnswerId, itemVersion: 1, passageId: '', passage: request.correctedText.trim() }] : [],
          topic: aiMessage.topic,
          correctsMessageId: aiMessage.id,
        }),
      );
      await tx.query(`UPDATE conversation.conversations SET updated_at = now() WHERE id = $1`, [aiMessage.conversationId]);
      const first = await claimFirstReply(tx, aiMessage.conversationId);
      await recordEvents(tx, [
        {
          workspaceId,
          type: 'answer_corrected',
          payload: {
            conversationId: aiMessage.conversationId,
            messageId: message.id,
            correctedMessageId: aiMessage.id,
            agent: request.agent,
            topic: aiMessage.topic,
            knowledgeItemId: request.learnedAnswerId ?? '',
            confidence: Number(aiMessage.confidence ?? 0),
            ...first,
          },
        },
      ]);
      return { agentMessageId: message.id, first: true };
    });
    if (delivered.first) {
      if (aiMessage.decision === 'answered') await this.outcomes.report(workspaceId, aiMessage, 'corrected', { kind: 'agent', id: request.agent });
      else await this.outcomes.reportHandOffReviewed(workspaceId, aiMessage, [...request.knowledgeItemIds, ...(request.learnedAnswerId ? [request.learnedAnswerId] : [])], request.agent);
    }
    return { agentMessageId: delivered.agentMessageId };
  }

  async resolve(caller: RequestContext, conversationId: string, remember?: Remembered<ConversationEntity>): Promise<ConversationEntity> {
    return this.transition(caller, conversationId, 'resolved', remember);
  }

  async reopen(caller: RequestContext, conversationId: string, remember?: Remembered<ConversationEntity>): Promise<ConversationEntity> {
    return this.transition(caller, conversationId, 'reopened', remember);
  }

  private async transition(caller: RequestContext, conversationId: string, to: 'resolved' | 'reopened', remember?: Remembered<ConversationEntity>): Promise<ConversationEntity> {
    // The caller may see it; what it may do is decided on the row as it is now, under its lock: two resolves at
    // once make one resolution (one event, one command).
    await this.conversations.getForCaller(caller, conversationId);
    return this.db.transaction(async (tx) => {
      const current = await lockedConversation(tx, caller.workspaceId, conversationId);
      if (to === 'resolved' && current.status === 'resolved') throw conflict('This conversation is already resolved');
      if (to === 'reopened' && current.status !== 'resolved') throw conflict('Only a resolved conversation can be reopened');
      if (to === 'resolved') await this.claims.assertMayAct(caller, current, 'resolve');
      const conversation = await changeConversation(
        tx,
        current,
        to === 'resolved' ? { status: 'resolved', resolvedAt: new Date() } : { status: current.handedOffAt ? 'handed_off' : 'open', resolvedAt: null },
      );
      const first = to === 'resolved' ? await claimFirstResolution(tx, conversationId) : {};
      await recordEvents(tx, [
        { workspaceId: caller.workspaceId, type: to, payload: { conversationId, customerId: conversation.customerId ?? '', topic: conversation.topic, ...conversationContext(conversation), by: caller.role, agent: caller.subject, ...first } },
      ]);
      if (conversation.handedOffAt) await queueEscalationCommand(tx, { workspaceId: caller.workspaceId, conversationId, kind: to, payload: { agent: caller.subject } });
      await remember?.(tx, conversation);
      return conversation;
    });
  }

  /** The customer question the AI turn answered: the customer message just before it. */
  private async questionBefore(aiMessage: MessageEntity): Promise<string | null> {
    const rows: Array<{ text: string }> = await this.db.query(
      `SELECT text FROM conversation.messages WHERE conversation_id = $1 AND author = 'customer' AND seq < $2 ORDER BY seq DESC LIMIT 1`,
      [aiMessage.conversationId, aiMessage.seq],
    );
    return rows[0]?.text ?? null;
  }
}
