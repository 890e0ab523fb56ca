/** Unclaim and reassign for agents; the escalation workflow's release of a claim at an SLA breach. Thin. */
import { Arg, Authorized, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import { badInput } from '../../shared/errors';
import { assertUuid } from '../../shared/ids';
import type { ConversationContext } from '../context';
import { ReleaseClaimInput } from '../escalation/escalation.types';
import { AssignmentService } from './assignment.service';
import { toConversation } from '../conversation/conversation.resolver';
import { Conversation, ConversationRef } from '../conversation/conversation.types';
import { ReassignConversationInput } from './assignment.types';

@Resolver()
export class AssignmentResolver {
  constructor(private readonly assignments: AssignmentService) {}

  @Authorized('agent')
  @Mutation(() => Conversation, { description: 'Give a claimed conversation back to the queue (its group, if it has one). The holder or an admin' })
  async unclaimConversation(@Arg('input') input: ConversationRef, @Ctx() ctx: ConversationContext): Promise<Conversation> {
    return toConversation(await this.assignments.unclaim(ctx.auth, assertUuid(input.conversationId, 'conversationId')));
  }

  @Authorized('agent')
  @Mutation(() => Conversation, {
    description: 'Hand a conversation to an agent (claimed by them) or a group (unclaimed, waiting for it). A claimed one: the holder or an admin; an unclaimed one: any agent',
  })
  async reassignConversation(@Arg('input') input: ReassignConversationInput, @Ctx() ctx: ConversationContext): Promise<Conversation> {
    const conversationId = assertUuid(input.conversationId, 'conversationId');
    const agentId = input.agentId ?? undefined;
    const group = input.group ?? undefined;
    if ((agentId === undefined) === (group === undefined)) throw badInput('Give exactly one of agentId (a person) or group');
    const target = agentId !== undefined ? { agentId: assertUuid(agentId, 'agentId') } : { group: group! };
    return toConversation(await this.assignments.reassign(ctx.auth, conversationId, target));
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: "Internal: at a first-response breach, release the silent agent's claim; true when it was released" })
  async releaseClaimAfterBreach(@Arg('input') input: ReleaseClaimInput, @Ctx() ctx: ConversationContext): Promise<boolean> {
    return this.assignments.releaseAfterBreach(ctx.auth.workspaceId, input.conversationId, input.from);
  }
}
