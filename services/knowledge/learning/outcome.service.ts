/**
 * Outcome signals from conversations: they count in an item's statistics, move the evidence ranking reads
 * (weighed by who gave them: learning-trust.ts) and, when the signal settles whether an answer was right, the
 * topic's answer threshold. A signed-in customer's confirmation (resolved or rated up, first verdict of its
 * turn) offers the question to the item; it is learned as a phrasing once other customers corroborate it.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { recordEvents } from '../../shared/outbox';
import { rowsOf } from '../../shared/sql-rows';
import type { ConfidenceScale } from './answer-policy';
import type { AnswerPolicyService } from './answer-policy.service';
import { recordConfirmation } from './customer-confirmations';
import { weighVerdict } from './item-evidence';
import { recordLearningEvent } from './learning-events';
import { CORROBORATING_CUSTOMERS, OutcomeSource, signalWeight } from './learning-trust';
import type { SettingsService } from './settings.service';

export type OutcomeSignal = 'shown' | 'resolved' | 'rated_up' | 'rated_down' | 'escalated' | 'corrected' | 'repeat_contact' | 'dropped_off' | 'handoff_reviewed';

/** Per signal about an item: its statistics column, and what it says about the answer (good, bad or nothing), first verdict or not. */
const ITEM_SIGNAL: Record<Exclude<OutcomeSignal, 'handoff_reviewed'>, { column: string; says: boolean | null }> = {
  shown: { column: 'shown', says: null },
  resolved: { column: 'resolved', says: true },
  rated_up: { column: 'rated_up', says: true },
  rated_down: { column: 'rated_down', says: false },
  escalated: { column: 'escalated_after', says: false },
  corrected: { column: 'corrected', says: false },
  repeat_contact: { column: 'repeat_contact_after', says: false },
  dropped_off: { column: 'dropped_off_after', says: false },
};

export interface OutcomeInput {
  knowledgeItemId: string | null;
  topic: string;
  confidence: number;
  signal: OutcomeSignal;
  /** Whether the answer (or, for a hand-off, the answer the AI would have given) was right; null when the signal says nothing about it. */
  correct: boolean | null;
  /** The question behind a confirmed answer; learned as a variant of the item once corroborated. */
  confirmedQuestion?: string | null;
  /** Who gave the signal; null for a trusted internal caller (weight 1, every signal counts). */
  source?: OutcomeSource | null;
  /** Whose confidence `confidence` is (the scale that decided the turn); retrieval's when not said. */
  scale?: ConfidenceScale;
  /** For `resolved`: seconds from the answer to the resolution (its time to resolution). */
  secondsToResolution?: number | null;
  /** The context buckets the answer was given in (asker-buckets.ts): the verdict also counts in each. */
  contextKeys?: readonly string[];
  /** Names the signal (the answer and the signal): one already taken under this key changes nothing. */
  idempotencyKey?: string | null;
}

/** How long a taken signal's key is remembered (a sender resends within minutes). */
export const OUTCOME_RECEIPT_DAYS = 30;

/** An item's outcome statistics as agents and analysts read them. */
export interface ItemStats {
  shown: number;
  resolved: number;
  ratedUp: number;
  ratedDown: number;
  escalatedAfter: number;
  corrected: number;
  repeatContactAfter: number;
  droppedOffAfter: number;
  /** Mean seconds from an answer citing the item to its conversation's resolution, over the resolutions timed; null with none. */
  meanSecondsToResolution: number | null;
}

export const NO_STATS: ItemStats = { shown: 0, resolved: 0, ratedUp: 0, ratedDown: 0, escalatedAfter: 0, corrected: 0, repeatContactAfter: 0, droppedOffAfter: 0, meanSecondsToResolution: null };

export interface LearnedVariant {
  id: string;
  text: string;
  itemId: string;
}

export class OutcomeService {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AnswerPolicyService,
    private readonly settings: SettingsService,
    /** Told of each question variant once it is committed. */
    private readonly onVariant?: (workspaceId: string, variant: LearnedVariant) => void,
  ) {}

  async record(workspaceId: string, input: OutcomeInput): Promise<void> {
    // A frozen workspace still records the outcome as an event, but it moves no statistic, threshold or phrasing.
    const learns = !(await this.settings.isFrozen(workspaceId));
    let learned: LearnedVariant | null = null;
    const source = input.source ?? null;
    const seconds = input.signal === 'resolved' ? (input.secondsToResolution ?? null) : null;
    const factor = signalWeight(input.signal, seconds);
    await this.db.transaction(async (tx) => {
      if (input.idempotencyKey) {
        const taken = await tx.query(`INSERT INTO knowledge.outcome_receipts (workspace_id, key) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key`, [workspaceId, input.idempotencyKey]);
        // Resent (the sender did not hear that the first one was taken): it was counted then.
        if (rowsOf(taken).length === 0) return;
      }
      if (learns && input.knowledgeItemId && input.signal !== 'handoff_reviewed') {
        const { column, says } = ITEM_SIGNAL[input.signal];
        const updated = await tx.query(
          `INSERT INTO knowledge.item_stats (item_id, workspace_id, ${column})
           SELECT id, workspace_id, 1 FROM knowledge.knowledge_items WHERE id = $1 AND workspace_id = $2
           ON CONFLICT (item_id) DO UPDATE SET ${column} = knowledge.item_stats.${column} + 1, updated_at = now()
           RETURNING item_id`,
          [input.knowledgeItemId, workspaceId],
        );
        if (updated.length === 0) return;
        if (seconds !== null) {
          await tx.query(`UPDATE knowledge.item_stats SET timed_resolutions = timed_resolutions + 1, resolution_seconds = resolution_seconds + $2 WHERE item_id = $1`, [input.knowledgeItemId, seconds]);
        }
        if (says !== null) await weighVerdict(tx, workspaceId, input.knowledgeItemId, says, source, factor, input.contextKeys ?? []);
      }
      if (learns && input.correct !== null) {
        await this.policy.recordOutcome(tx, workspaceId, input.topic, input.confidence, input.correct, input.signal, source, input.scale ?? 'retrieval', factor, input.contextKeys ?? []);
      }
      const question = input.confirmedQuestion?.trim();
      if (learns && input.correct === true && input.knowledgeItemId && question && source?.kind === 'customer') {
        learned = await this.learnConfirmed(tx, workspaceId, input.knowledgeItemId, question, source.id, input.signal);
      }
      await recordEvents(tx, [
        {
          workspaceId,
          type: `outcome_${input.signal}`,
          payload: { knowledgeItemId: input.knowledgeItemId ?? '', topic: input.topic, confidence: input.confidence, correct: input.correct, weight: factor, ...(seconds !== null ? { secondsToResolution: seconds } : {}) },
        },
      ]);
    });
    const variant = learned as LearnedVariant | null;
    if (variant) this.onVariant?.(workspaceId, variant);
  }

  /** Forgets the keys of signals taken more than OUTCOME_RECEIPT_DAYS ago; returns how many. */
  async pruneReceipts(): Promise<number> {
    const deleted = await this.db.query(`DELETE FROM knowledge.outcome_receipts WHERE received_at < now() - make_interval(days => $1) RETURNING 1`, [OUTCOME_RECEIPT_DAYS]);
    return rowsOf(deleted).length;
  }

  /**
   * A signed-in customer's confirmed question, learned as a variant of the item once CORROBORATING_CUSTOMERS
   * distinct customers confirmed the item for questions like it; never in a review-required workspace (there,
   * only an admin's approval publishes what the loop learns, and customers' suggestions have no queue yet).
   * Nothing is learned when the item already knows the question or may no longer be served.
   */
  private async learnConfirmed(tx: EntityManager, workspaceId: string, itemId: string, question: string, customerId: string, signal: OutcomeSignal): Promise<LearnedVariant | null> {
    const customers = await recordConfirmation(tx, workspaceId, itemId, customerId, question);
    if (customers < CORROBORATING_CUSTOMERS) return null;
    if ((await this.settings.get(workspaceId, tx)).learningMode === 'review_required') return null;
    const [item] = rowsOf<{ id: string; topic: string; title: string }>(await tx.query(
      `SELECT i.id, i.topic, i.title FROM knowledge.knowledge_items i
        WHERE i.id = $1 AND i.workspace_id = $2 AND i.status = 'published' AND NOT i.stale
          AND NOT EXISTS (SELECT 1 FROM knowledge.question_variants v WHERE v.item_id = i.id AND lower(v.text) = lower($3))
        FOR UPDATE`,
      [itemId, workspaceId, question],
    ));
    if (!item) return null;
    const [variant] = rowsOf<{ id: string }>(await tx.query(`INSERT INTO knowledge.question_variants (workspace_id, item_id, text) VALUES ($1, $2, $3) RETURNING id`, [
      workspaceId,
      item.id,
      question,
    ]));
    await recordLearningEvent(tx, {
      workspaceId,
      kind: 'question_variant_added',
      itemId: item.id,
      topic: item.topic,
      summary: `Learned that "${question.slice(0, 120)}" is answered by "${item.title.slice(0, 80)}" (${customers} customers confirmed it for questions like this one; the last ${signal === 'resolved' ? 'resolved the conversation' : 'rated the answer up'})`,
      signal: 'customer_confirmed',
      actor: 'customer',
      after: { variantId: variant!.id, question, customers },
    });
    await recordEvents(tx, [{ workspaceId, type: 'question_variant_added', payload: { knowledgeItemId: item.id, topic: item.topic, conversationId: '' } }]);
    return { id: variant!.id, text: question, itemId: item.id };
  }

  async stats(workspaceId: string, itemIds: string[]) {
    const rows: Array<ItemStats & { itemId: string; timedResolutions: number; resolutionSeconds: number }> = await this.db.query(
      `SELECT item_id AS "itemId", shown, resolved, rated_up AS "ratedUp", rated_down AS "ratedDown", escalated_after AS "escalatedAfter",
              corrected, repeat_contact_after AS "repeatContactAfter", dropped_off_after AS "droppedOffAfter",
              timed_resolutions AS "timedResolutions", resolution_seconds AS "resolutionSeconds"
         FROM knowledge.item_stats WHERE workspace_id = $1 AND item_id = ANY($2::uuid[])`,
      [workspaceId, itemIds],
    );
    return new Map(
      rows.map(({ itemId, timedResolutions, resolutionSeconds, ...counts }): [string, ItemStats] => [
        itemId,
        { ...counts, meanSecondsToResolution: Number(timedResolutions) > 0 ? Number(resolutionSeconds) / Number(timedResolutions) : null },
      ]),
    );
  }
}
