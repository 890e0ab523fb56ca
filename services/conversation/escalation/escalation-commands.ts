/**
 * What the escalation workflows must hear about, written in the same transaction as the change that caused
 * it. The dispatcher sends these to Temporal afterwards, so a Temporal outage delays a hand-off and loses none.
 * The same statement NOTIFYs the dispatcher, which Postgres delivers when (and only if) the transaction commits,
 * so the command goes out at once instead of at the dispatcher's next poll.
 */
import type { EntityManager } from 'typeorm';

/** The channel the dispatcher LISTENs on. */
export const ESCALATION_COMMANDS_CHANNEL = 'loopdesk_escalation_commands';

export type EscalationCommandKind = 'hand_off' | 'claim' | 'reply' | 'resolved' | 'reopened' | 'unclaim' | 'reassign';

export async function queueEscalationCommand(
  tx: EntityManager,
  command: { workspaceId: string; conversationId: string; kind: EscalationCommandKind; payload?: Record<string, unknown> },
): Promise<void> {
  // One round trip for both; notifications with the same payload in one transaction are delivered once.
  await tx.query(`WITH queued AS (${escalationCommandInsert(1)}) ${notifyDispatcher('queued')}`, escalationCommandParams(command));
}

/**
 * The INSERT of one command (only if `where`, a WHERE clause, holds), RETURNING 1, its parameters
 * (escalationCommandParams) numbered from $`first`; a statement that also writes the change runs it as one of its
 * parts, with notifyDispatcher over what it returns.
 */
export function escalationCommandInsert(first: number, where = ''): string {
  return `INSERT INTO conversation.escalation_commands (workspace_id, conversation_id, kind, payload) SELECT $${first}::uuid, $${first + 1}::uuid, $${first + 2}, $${first + 3}::jsonb ${where} RETURNING 1`;
}

export function escalationCommandParams(command: { workspaceId: string; conversationId: string; kind: EscalationCommandKind; payload?: Record<string, unknown> }): unknown[] {
  return [command.workspaceId, command.conversationId, command.kind, JSON.stringify(command.payload ?? {})];
}

/** A SELECT that notifies the dispatcher once for each row of `queued` (the name of an escalationCommandInsert part). */
export function notifyDispatcher(queued: string): string {
  return `SELECT pg_notify('${ESCALATION_COMMANDS_CHANNEL}', '') FROM ${queued}`;
}
