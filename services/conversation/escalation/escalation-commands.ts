/**
 * What the escalation workflows must hear about, written in the same transaction as the change that caused
 * it. The dispatcher sends these to Temporal afterwards, so a Temporal outage delays a hand-off and loses none.
 */
import type { EntityManager } from 'typeorm';

export type EscalationCommandKind = 'hand_off' | 'claim' | 'reply' | 'resolved' | 'reopened' | 'unclaim' | 'reassign';

export async function queueEscalationCommand(
  tx: EntityManager,
  command: { workspaceId: string; conversationId: string; kind: EscalationCommandKind; payload?: Record<string, unknown> },
): Promise<void> {
  await tx.query(`INSERT INTO conversation.escalation_commands (workspace_id, conversation_id, kind, payload) VALUES ($1, $2, $3, $4)`, [
    command.workspaceId,
    command.conversationId,
    command.kind,
    JSON.stringify(command.payload ?? {}),
  ]);
}
