/** What escalation workflows did to a conversation, recorded once per step and visible to agents. */
import type { DataSource, EntityManager } from 'typeorm';
import { notFound } from '../../shared/errors';
import { recordEvents } from '../../shared/outbox';
import { rowsOf } from '../../shared/sql-rows';
import { offeredStepKey } from '../../../workflows/escalation-contract';

export interface StepRow {
  kind: string;
  detail: Record<string, unknown>;
  createdAt: Date;
}

export class EscalationStepsService {
  constructor(private readonly db: DataSource) {}

  async record(workspaceId: string, step: { conversationId: string; kind: string; stepKey: string; detail: Record<string, unknown> }): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [conversation] = await tx.query(`SELECT id, topic FROM conversation.conversations WHERE id = $1 AND workspace_id = $2`, [step.conversationId, workspaceId]);
      if (!conversation) throw notFound('Conversation', step.conversationId);
      const inserted = rowsOf(
        await tx.query(
          `INSERT INTO conversation.escalation_steps (step_key, workspace_id, conversation_id, kind, detail) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (step_key) DO NOTHING RETURNING step_key`,
          [step.stepKey, workspaceId, step.conversationId, step.kind, JSON.stringify(step.detail)],
        ),
      );
      if (inserted.length === 0) return false;
      // Workflows before the desk's release (no `via`) cleared any claim here; newer ones released it themselves.
      if (step.kind === 'reassigned' && step.detail.via === undefined) await tx.query(`UPDATE conversation.conversations SET claimed_by = NULL, claimed_at = NULL, updated_at = now() WHERE id = $1`, [step.conversationId]);
      if (step.kind === 'escalated_to_backup') await tx.query(`UPDATE conversation.conversations SET escalation_level = 'backup', updated_at = now() WHERE id = $1`, [step.conversationId]);
      await recordEvents(tx, [{ workspaceId, type: `escalation_${step.kind}`, payload: { conversationId: step.conversationId, topic: conversation.topic, ...step.detail } }]);
      return true;
    });
  }

  /**
   * The offered step of escalation runs that Temporal just started, recorded by the dispatcher in the transaction
   * that marks their hand-offs sent. The key is the one the workflow itself used for it (run id, kind, and its
   * zero counters), so a resent hand-off, or a run that recorded it itself (started before the dispatcher did
   * this), records it once. Stamped with the clock, not the transaction's start, since that is when it happened.
   */
  async recordOffered(tx: EntityManager, offers: Array<{ workspaceId: string; conversationId: string; runId: string }>): Promise<void> {
    if (offers.length === 0) return;
    const recorded: Array<{ workspace_id: string; conversation_id: string; topic: string | null }> = rowsOf(
      await tx.query(
        `WITH offered AS (
           INSERT INTO conversation.escalation_steps (step_key, workspace_id, conversation_id, kind, detail, created_at)
           SELECT step_key, workspace_id, conversation_id, 'offered', '{}', clock_timestamp()
             FROM unnest($1::text[], $2::uuid[], $3::uuid[]) AS o(step_key, workspace_id, conversation_id)
           ON CONFLICT (step_key) DO NOTHING RETURNING workspace_id, conversation_id)
         SELECT o.workspace_id, o.conversation_id, c.topic FROM offered o JOIN conversation.conversations c ON c.id = o.conversation_id`,
        [offers.map((o) => offeredStepKey(o.runId)), offers.map((o) => o.workspaceId), offers.map((o) => o.conversationId)],
      ),
    );
    await recordEvents(
      tx,
      recorded.map((r) => ({ workspaceId: r.workspace_id, type: 'escalation_offered', payload: { conversationId: r.conversation_id, topic: r.topic } })),
    );
  }

  async list(workspaceId: string, conversationId: string): Promise<StepRow[]> {
    return this.db.query(
      `SELECT kind, detail, created_at AS "createdAt" FROM conversation.escalation_steps WHERE workspace_id = $1 AND conversation_id = $2 ORDER BY created_at, step_key`,
      [workspaceId, conversationId],
    );
  }
}
