/**
 * What a claim means: while a conversation is claimed, only its holder or an admin may reply, correct or
 * resolve it; anyone else gets CONFLICT naming who holds it (the person's name when a personal key claimed it).
 */
import type { EntityManager } from 'typeorm';
import { agentIdOf } from '../../shared/agent-subject';
import { DomainError, conflict } from '../../shared/errors';
import type { RequestContext } from '../../shared/request-context';
import type { AccountContextClient } from '../clients/account-context';

export class ClaimGuard {
  constructor(private readonly accountContext: AccountContextClient) {}

  /** Whether the caller may act on a conversation held by `claimedBy`. */
  static mayAct(caller: RequestContext, claimedBy: string | null): boolean {
    return claimedBy === null || claimedBy === caller.subject || caller.role === 'admin' || caller.role === 'system';
  }

  async assertMayAct(caller: RequestContext, conversation: { id: string; claimedBy: string | null }, action: string): Promise<void> {
    if (ClaimGuard.mayAct(caller, conversation.claimedBy)) return;
    throw await this.heldBy(caller.workspaceId, conversation.claimedBy!, action);
  }

  /** The same check on the row locked in a transaction, so a claim taken meanwhile is honoured. */
  async assertMayActLocked(tx: EntityManager, caller: RequestContext, conversationId: string, action: string): Promise<void> {
    const rows: Array<{ claimed_by: string | null }> = await tx.query(`SELECT claimed_by FROM conversation.conversations WHERE id = $1 FOR UPDATE`, [conversationId]);
    await this.assertMayAct(caller, { id: conversationId, claimedBy: rows[0]?.claimed_by ?? null }, action);
  }

  async heldBy(workspaceId: string, holder: string, action: string): Promise<DomainError> {
    const name = await this.nameOf(workspaceId, holder);
    const error = conflict(`This conversation is claimed by ${name}; only they or an admin may ${action} it (ask them, or an admin, to unclaim or reassign it)`);
    return new DomainError(error.code, error.message, { claimedBy: holder });
  }

  async nameOf(workspaceId: string, subject: string): Promise<string> {
    const agentId = agentIdOf(subject);
    if (!agentId) return subject;
    try {
      const agent = await this.accountContext.agent(workspaceId, agentId);
      return `${agent.name} (${subject})`;
    } catch {
      return subject;
    }
  }
}
