/**
 * Tells knowledge how an AI turn turned out, and who said so (a signed-in customer, an anonymous visitor, an
 * agent): knowledge weighs the signal by that. The first signal that settles whether the turn was right (a
 * rating, a resolution, an escalation, a correction, a repeat contact) is the turn's one verdict: only it
 * recalibrates the topic's threshold or offers the question to be learned, so one answer is never graded twice.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from '../../shared/logger';
import { rowsOf } from '../../shared/sql-rows';
import type { KnowledgeClient, OutcomeSignal, OutcomeSource } from '../clients/knowledge';
import type { ConversationEntity } from './conversation.entity';
import type { MessageEntity } from './message.entity';

/** Who gave a signal: the conversation's signed-in customer, else the anonymous visitor behind the conversation. */
export function voterOf(conversation: Pick<ConversationEntity, 'id' | 'customerId'>): OutcomeSource {
  return conversation.customerId ? { kind: 'customer', id: conversation.customerId } : { kind: 'visitor', id: conversation.id };
}

const VERDICT: Record<OutcomeSignal, boolean | null> = {
  shown: null,
  resolved: true,
  rated_up: true,
  rated_down: false,
  escalated: false,
  corrected: false,
  repeat_contact: false,
  dropped_off: false,
  handoff_reviewed: null,
};

type Turn = Pick<MessageEntity, 'id' | 'citations' | 'topic' | 'confidence' | 'candidateItemId' | 'conversationId' | 'seq'> & Partial<Pick<MessageEntity, 'confidenceScale' | 'contextKeys'>>;

/** What a signal knows beyond itself: for a resolution, how long after the answer it came. */
export interface SignalDetails {
  secondsToResolution?: number;
}

/** Each turn gives each signal once (a rating, a resolution, a drop-off...): the pair names it for knowledge. */
const outcomeKey = (turn: Pick<Turn, 'id'>, signal: OutcomeSignal) => `outcome:${turn.id}:${signal}`;

export class OutcomeReporter {
  constructor(
    private readonly db: DataSource,
    private readonly knowledge: KnowledgeClient,
    private readonly logger: Logger,
  ) {}

  async report(workspaceId: string, turn: Turn, signal: OutcomeSignal, source: OutcomeSource, details: SignalDetails = {}): Promise<void> {
    const verdict = VERDICT[signal];
    const decisive = verdict !== null && (await this.claimVerdict(turn.id, signal));
    const knowledgeItemId = turn.citations[0]?.knowledgeItemId ?? null;
    await this.send(workspaceId, {
      ...details,
      knowledgeItemId,
      topic: turn.topic,
      confidence: Number(turn.confidence ?? 0),
      scale: turn.confidenceScale ?? null,
      signal,
      correct: decisive ? verdict : null,
      source,
      context: turn.contextKeys ?? [],
      // Offered, not taught: knowledge learns it only once other customers (or an agent) corroborate it.
      confirmedQuestion: decisive && verdict === true && knowledgeItemId ? await this.questionBefore(turn) : null,
      idempotencyKey: outcomeKey(turn, signal),
    });
  }

  private async questionBefore(turn: Turn): Promise<string | null> {
    const rows = rowsOf<{ text: string }>(await this.db.query(
      `SELECT text FROM conversation.messages WHERE conversation_id = $1 AND author = 'customer' AND seq < $2 ORDER BY seq DESC LIMIT 1`,
      [turn.conversationId, turn.seq],
    ));
    return rows[0]?.text ?? null;
  }

  /**
   * A hand-off that an agent then answered grades the answer the AI would have given: right when the agent
   * pointed to the item the AI had found. This is how a topic earns the right to be answered alone.
   */
  async reportHandOffReviewed(workspaceId: string, turn: Turn, rightItems: string[], agent: string): Promise<void> {
    if (!turn.candidateItemId || !(await this.claimVerdict(turn.id, 'handoff_reviewed'))) return;
    await this.send(workspaceId, {
      knowledgeItemId: null,
      topic: turn.topic,
      confidence: Number(turn.confidence ?? 0),
      scale: turn.confidenceScale ?? null,
      signal: 'handoff_reviewed',
      correct: rightItems.includes(turn.candidateItemId),
      source: { kind: 'agent', id: agent },
      idempotencyKey: outcomeKey(turn, 'handoff_reviewed'),
    });
  }

  /**
   * A drop-off whose verdict the sweep already claimed (in the transaction that recorded it). Throws when
   * knowledge did not take it, so the sweep keeps it and tries again.
   */
  async reportDropOff(workspaceId: string, turn: Turn, source: OutcomeSource): Promise<void> {
    await this.knowledge.recordOutcome(workspaceId, {
      knowledgeItemId: turn.citations[0]?.knowledgeItemId ?? null,
      topic: turn.topic,
      confidence: Number(turn.confidence ?? 0),
      scale: turn.confidenceScale ?? null,
      signal: 'dropped_off',
      correct: VERDICT.dropped_off,
      source,
      context: turn.contextKeys ?? [],
      idempotencyKey: outcomeKey(turn, 'dropped_off'),
    });
  }

  private async claimVerdict(messageId: string, signal: string): Promise<boolean> {
    const result = await this.db.query(`UPDATE conversation.messages SET outcome = $2 WHERE id = $1 AND outcome IS NULL RETURNING id`, [messageId, signal]);
    return rowsOf(result).length > 0;
  }

  private async send(workspaceId: string, outcome: Parameters<KnowledgeClient['recordOutcome']>[1]): Promise<void> {
    try {
      await this.knowledge.recordOutcome(workspaceId, outcome);
    } catch (error) {
      this.logger.warn({ err: error, signal: outcome.signal }, 'knowledge did not take an outcome signal');
    }
  }
}
