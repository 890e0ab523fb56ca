/**
 * Outcome signals from conversations: they move an item's statistics (which ranking reads) and, when the
 * signal settles whether an answer was right, the topic's answer threshold.
 */
import type { DataSource } from 'typeorm';
import { recordEvents } from '../../shared/outbox';
import type { AnswerPolicyService } from './answer-policy.service';

export type OutcomeSignal = 'shown' | 'resolved' | 'rated_up' | 'rated_down' | 'escalated' | 'corrected' | 'repeat_contact' | 'handoff_reviewed';

const STAT_COLUMN: Record<Exclude<OutcomeSignal, 'handoff_reviewed'>, string> = {
  shown: 'shown',
  resolved: 'resolved',
  rated_up: 'rated_up',
  rated_down: 'rated_down',
  escalated: 'escalated_after',
  corrected: 'corrected',
  repeat_contact: 'repeat_contact_after',
};

export interface OutcomeInput {
  knowledgeItemId: string | null;
  topic: string;
  confidence: number;
  signal: OutcomeSignal;
  /** Whether the answer (or, for a hand-off, the answer the AI would have given) was right; null when the signal says nothing about it. */
  correct: boolean | null;
}

export class OutcomeService {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AnswerPolicyService,
  ) {}

  async record(workspaceId: string, input: OutcomeInput): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (input.knowledgeItemId && input.signal !== 'handoff_reviewed') {
        const column = STAT_COLUMN[input.signal];
        const updated = await tx.query(
          `INSERT INTO knowledge.item_stats (item_id, workspace_id, ${column})
           SELECT id, workspace_id, 1 FROM knowledge.knowledge_items WHERE id = $1 AND workspace_id = $2
           ON CONFLICT (item_id) DO UPDATE SET ${column} = knowledge.item_stats.${column} + 1, updated_at = now()
           RETURNING item_id`,
          [input.knowledgeItemId, workspaceId],
        );
        if (updated.length === 0) return;
      }
      if (input.correct !== null) {
        await this.policy.recordOutcome(tx, workspaceId, input.topic, input.confidence, input.correct, input.signal);
      }
      await recordEvents(tx, [
        {
          workspaceId,
          type: `outcome_${input.signal}`,
          payload: { knowledgeItemId: input.knowledgeItemId ?? '', topic: input.topic, confidence: input.confidence, correct: input.correct },
        },
      ]);
    });
  }

  async stats(workspaceId: string, itemIds: string[]) {
    const rows: Array<{ itemId: string; shown: number; resolved: number; ratedUp: number; ratedDown: number; escalatedAfter: number; corrected: number; repeatContactAfter: number }> =
      await this.db.query(
        `SELECT item_id AS "itemId", shown, resolved, rated_up AS "ratedUp", rated_down AS "ratedDown", escalated_after AS "escalatedAfter",
                corrected, repeat_contact_after AS "repeatContactAfter"
           FROM knowledge.item_stats WHERE workspace_id = $1 AND item_id = ANY($2::uuid[])`,
        [workspaceId, itemIds],
      );
    return new Map(rows.map((r) => [r.itemId, r]));
  }
}
