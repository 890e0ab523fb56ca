/**
 * What a claim means: while a conversation is claimed, only its holder or an admin may reply, correct or
 * resolve it; anyone else gets CONFLICT naming who holds it (the person's name when a personal key claimed it).
 * A claim held by a person who has since been deactivated binds no one: their key is refused, so they cannot act or
 * unclaim, and the conversation would wait for an admin or its SLA breach.
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
    const holder = await this.holder(caller.workspaceId, conversation.claimedBy!);
    if (holder.binds) throw refusal(holder, action);
  }

  /** The same check on the row locked in a transaction, so a claim taken meanwhile is honoured. */
  async assertMayActLocked(tx: EntityManager, caller: RequestContext, conversationId: string, action: string): Promise<void> {
    const rows: Array<{ claimed_by: string | null }> = await tx.query(`SELECT claimed_by FROM conversation.conversations WHERE id = $1 FOR UPDATE`, [conversationId]);
    await this.assertMayAct(caller, { id: conversationId, claimedBy: rows[0]?.claimed_by ?? null }, action);
  }

  /**
   * Another caller wants to claim a conversation `claimedBy` holds: CONFLICT while that claim binds; otherwise the
   * void claim the caller may take over (undefined when the conversation is not claimed).
   */
  async claimableFrom(workspaceId: string, claimedBy: string | null, action: string): Promise<string | undefined> {
    if (claimedBy === null) return undefined;
    const holder = await this.holder(workspaceId, claimedBy);
    if (holder.binds) throw refusal(holder, action);
    return claimedBy;
  }

  /** Who holds a claim, by name, and whether it binds. Unknown (a key that is not a person's, an outage) binds. */
  private async holder(workspaceId: string, subject: string): Promise<Holder> {
    const agentId = agentIdOf(subject);
    if (!agentId) return { subject, name: subject, binds: true };
    try {
      const agent = await this.accountContext.agent(workspaceId, agentId);
      return { subject, name: `${agent.name} (${subject})`, binds: agent.active };
    } catch {
      return { subject, name: subject, binds: true };
    }
  }
}

interface Holder {
  subject: string;
  name: string;
  binds: boolean;
}

function refusal(holder: Holder, action: string): DomainError {
  const error = conflict(`This conversation is claimed by ${holder.name}; only they or an admin may ${action} it (ask them, or an admin, to unclaim or reassign it)`);
  return new DomainError(error.code, error.message, { claimedBy: holder.subject });
}
