/**
 * Drop-offs: an AI answer the customer left with no rating, resolution or follow-up (a later message, a hand-off,
 * a repeat contact) within the workspace's window. Why a sweep and not a timer per answer: the state that decides
 * is all in Postgres, so one indexed query per pass finds every answer whose window has passed, on any replica,
 * after any restart, and costs the answering path nothing (a durable Temporal timer per answer would add a
 * workflow start to every answer). Each answer is settled once:
 *
 * 1. One transaction locks the due, unsettled answers (FOR UPDATE SKIP LOCKED: replicas take different rows),
 *    marks each settled, and for those that dropped off claims the turn's verdict (outcome = 'dropped_off', the
 *    same first-verdict claim ratings and resolutions take) and writes a `dropped_off` outbox event. A signal that
 *    arrives meanwhile either claimed the verdict first (then no drop-off) or finds it taken.
 * 2. Knowledge is told afterwards, one answer per transaction, and the answer marked reported; a failure leaves it
 *    unreported for the next pass. The record and the warehouse event are exactly once; knowledge is at least
 *    once (a crash between its reply and the mark would send it again).
 */
import type { DataSource } from 'typeorm';
import { recordEvents } from '../../shared/outbox';
import { rowsOf } from '../../shared/sql-rows';
import type { CitationRecord } from '../conversation/message.entity';
import { type OutcomeReporter, voterOf } from '../conversation/outcome-reporter';

const BATCH = 200;

interface SettledAnswer {
  id: string;
  workspaceId: string;
  conversationId: string;
  customerId: string | null;
  seq: string;
  topic: string;
  page: string | null;
  plan: string | null;
  channel: string | null;
  language: string | null;
  citations: CitationRecord[];
  confidence: number | null;
  confidenceScale: string | null;
  candidateItemId: string | null;
  /** Read only when reporting (the settling update does not return it). */
  contextKeys?: string[];
  createdAt: Date;
  dropped: boolean;
}

export class DropOffSweep {
  constructor(
    private readonly db: DataSource,
    private readonly outcomes: OutcomeReporter,
    private readonly defaultWindowMs: number,
  ) {}

  /** One pass: settle what is due, then tell knowledge of what is not reported yet. Returns the drop-offs found. */
  async pass(): Promise<number> {
    const dropped = await this.settleDue();
    await this.reportPending();
    return dropped;
  }

  private async settleDue(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const settled = rowsOf<SettledAnswer>(await tx.query(
        `WITH due AS (
           SELECT m.id
             FROM conversation.messages m
             LEFT JOIN conversation.satisfaction_settings s ON s.workspace_id = m.workspace_id
            WHERE NOT m.drop_off_settled AND m.author = 'ai' AND m.decision = 'answered'
              AND m.created_at < now() - make_interval(secs => coalesce(s.drop_off_window_ms, $1) / 1000.0)
            ORDER BY m.created_at
            LIMIT $2
            FOR UPDATE OF m SKIP LOCKED
         ), judged AS (
           SELECT m.id,
                  m.outcome IS NULL AND m.rating IS NULL AND c.status = 'open'
                  AND NOT EXISTS (SELECT 1 FROM conversation.messages later WHERE later.conversation_id = m.conversation_id AND later.seq > m.seq) AS dropped
             FROM due JOIN conversation.messages m ON m.id = due.id JOIN conversation.conversations c ON c.id = m.conversation_id
         )
         UPDATE conversation.messages m
            SET drop_off_settled = true,
                outcome = CASE WHEN judged.dropped THEN 'dropped_off' ELSE m.outcome END,
                dropped_off_at = CASE WHEN judged.dropped THEN now() ELSE NULL END
           FROM judged, conversation.conversations c
          WHERE m.id = judged.id AND c.id = m.conversation_id
         RETURNING m.id, m.workspace_id AS "workspaceId", m.conversation_id AS "conversationId", c.customer_id AS "customerId", m.seq,
                   m.topic, m.page, m.asker_context->>'plan' AS plan, c.channel, c.language, m.citations, m.confidence,
                   m.confidence_scale AS "confidenceScale", m.candidate_item_id AS "candidateItemId", m.created_at AS "createdAt", judged.dropped`,
        [this.defaultWindowMs, BATCH],
      ));
      const dropped = settled.filter((answer) => answer.dropped);
      await recordEvents(
        tx,
        dropped.map((answer) => ({
          workspaceId: answer.workspaceId,
          type: 'dropped_off',
          payload: {
            conversationId: answer.conversationId,
            messageId: answer.id,
            customerId: answer.customerId ?? '',
            knowledgeItemId: answer.citations[0]?.knowledgeItemId ?? '',
            topic: answer.topic,
            page: answer.page ?? '',
            plan: answer.plan ?? '',
            channel: answer.channel ?? '',
            language: answer.language ?? '',
            confidence: answer.confidence === null ? undefined : Number(answer.confidence),
            answeredAt: new Date(answer.createdAt).toISOString(),
          },
        })),
      );
      return dropped.length;
    });
  }

  private async reportPending(): Promise<void> {
    for (;;) {
      const reported = await this.db.transaction(async (tx) => {
        const [answer] = rowsOf<Omit<SettledAnswer, 'dropped' | 'page' | 'plan' | 'channel' | 'language' | 'createdAt'>>(await tx.query(
          `SELECT m.id, m.workspace_id AS "workspaceId", m.conversation_id AS "conversationId", c.customer_id AS "customerId", m.seq, m.topic,
                  m.citations, m.confidence, m.confidence_scale AS "confidenceScale", m.candidate_item_id AS "candidateItemId", m.context_keys AS "contextKeys"
             FROM conversation.messages m JOIN conversation.conversations c ON c.id = m.conversation_id
            WHERE m.dropped_off_at IS NOT NULL AND NOT m.drop_off_reported
            ORDER BY m.dropped_off_at
            LIMIT 1
            FOR UPDATE OF m SKIP LOCKED`,
        ));
        if (!answer) return false;
        await this.outcomes.reportDropOff(answer.workspaceId, { ...answer, seq: answer.seq }, voterOf({ id: answer.conversationId, customerId: answer.customerId }));
        await tx.query(`UPDATE conversation.messages SET drop_off_reported = true WHERE id = $1`, [answer.id]);
        return true;
      });
      if (!reported) return;
    }
  }
}
