/**
 * Who works a conversation: an agent gives a claim back (unclaim) or hands it to a colleague or a group
 * (reassign), and the escalation workflow takes a claim back when its first-response SLA is breached. Each
 * change is one transaction with its outbox event and its escalation command, so the workflow's idea of the
 * assignee follows.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { agentSubject } from '../../shared/agent-subject';
import { badInput, conflict } from '../../shared/errors';
import { recordEvents } from '../../shared/outbox';
import type { RequestContext } from '../../shared/request-context';
import type { AccountContextClient } from '../clients/account-context';
import { queueEscalationCommand } from '../escalation/escalation-commands';
import type { ClaimGuard } from './claim-guard';
import { ConversationEntity } from '../conversation/conversation.entity';
import type { ConversationService } from '../conversation/conversation.service';

export type ReassignTarget = { agentId: string; group?: undefined } | { group: string; agentId?: undefined };

export class AssignmentService {
  constructor(
    private readonly db: DataSource,
    private readonly conversations: ConversationService,
    private readonly accountContext: AccountContextClient,
    private readonly claims: ClaimGuard,
  ) {}

  /** The holder (or an admin) gives the conversation back to the queue. */
  async unclaim(caller: RequestContext, conversationId: string): Promise<ConversationEntity> {
    const conversation = await this.conversations.getForCaller(caller, conversationId);
    // As claim and reassign: a resolved case keeps who handled it.
    if (conversation.status === 'resolved') throw conflict('A resolved conversation keeps who handled it and cannot be unclaimed; reopen it first');
    if (!conversation.claimedBy) throw conflict('This conversation is not claimed');
    await this.claims.assertMayAct(caller, conversation, 'unclaim');
    return this.db.transaction(async (tx) => {
      await this.claims.assertMayActLocked(tx, caller, conversationId, 'unclaim');
      return this.assign(tx, caller, conversation, { claimedBy: null, group: conversation.assignedGroup }, 'unclaimed');
    });
  }

  /**
   * To a person (it becomes claimed by them) or to a group (it becomes unclaimed and waits for the group). The
   * holder or an admin may reassign a claimed conversation; any agent an unclaimed one.
   */
  async reassign(caller: RequestContext, conversationId: string, target: ReassignTarget): Promise<ConversationEntity> {
    const conversation = await this.conversations.getForCaller(caller, conversationId);
    if (conversation.status === 'resolved') throw conflict('A resolved conversation cannot be reassigned; reopen it first');
    await this.claims.assertMayAct(caller, conversation, 'reassign');
    let next: { claimedBy: string | null; group: string | null };
    if (target.agentId !== undefined) {
      const agent = await this.accountContext.agent(caller.workspaceId, target.agentId);
      if (!agent.active) throw conflict(`${agent.name} was deactivated and cannot take conversations`);
      next = { claimedBy: agentSubject(agent.id), group: conversation.assignedGroup };
    } else {
      if ((await this.accountContext.groupSize(caller.workspaceId, target.group)) === 0) {
        throw badInput(`No active agent is in the group "${target.group}"; add one with updateAgent(input: { groups })`);
      }
      next = { claimedBy: null, group: target.group };
    }
    return this.db.transaction(async (tx) => {
      await this.claims.assertMayActLocked(tx, caller, conversationId, 'reassign');
      return this.assign(tx, caller, conversation, next, 'reassigned');
    });
  }

  /**
   * The escalation workflow's re-assignment at a first-response breach: the claim of the agent who did not
   * answer goes back to the queue (its group, if it has one). Only that agent's claim: if someone else took it
   * meanwhile, nothing changes. Idempotent, so an activity retry is harmless.
   */
  async releaseAfterBreach(workspaceId: string, conversationId: string, from: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const conversation = await tx.getRepository(ConversationEntity).findOne({ where: { id: conversationId, workspaceId }, lock: { mode: 'pessimistic_write' } });
      if (!conversation || conversation.claimedBy !== from) return false;
      const system: RequestContext = { workspaceId, role: 'system', subject: 'service:escalation', requestId: '', issuedAt: Date.now() };
      await this.assign(tx, system, conversation, { claimedBy: null, group: conversation.assignedGroup }, 'unclaimed', { reason: 'first_response_sla' });
      return true;
    });
  }

  private async assign(
    tx: EntityManager,
    caller: RequestContext,
    conversation: ConversationEntity,
    next: { claimedBy: string | null; group: string | null },
    event: 'unclaimed' | 'reassigned',
    extra: Record<string, string> = {},
  ): Promise<ConversationEntity> {
    const from = conversation.claimedBy;
    await tx.query(
      `UPDATE conversation.conversations
          SET claimed_by = $2, claimed_at = CASE WHEN $2::text IS NULL THEN NULL WHEN claimed_by IS DISTINCT FROM $2 THEN now() ELSE claimed_at END,
              assigned_group = $3, updated_at = now()
        WHERE id = $1`,
      [conversation.id, next.claimedBy, next.group],
    );
    await recordEvents(tx, [
      {
        workspaceId: conversation.workspaceId,
        type: event,
        payload: { conversationId: conversation.id, topic: conversation.topic, agent: caller.subject, from: from ?? '', to: next.claimedBy ?? '', group: next.group ?? '', ...extra },
      },
    ]);
    if (conversation.handedOffAt) {
      await queueEscalationCommand(tx, {
        workspaceId: conversation.workspaceId,
        conversationId: conversation.id,
        kind: event === 'unclaimed' ? 'unclaim' : 'reassign',
        payload: { agent: caller.subject, to: next.claimedBy ?? '', group: next.group ?? '' },
      });
    }
    return tx.getRepository(ConversationEntity).findOneByOrFail({ id: conversation.id });
  }
}
