/** Escalation settings for admins, escalation history for agents, and the worker's internal operations. */
import { Arg, Authorized, Ctx, Directive, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ConversationContext } from '../context';
import { AgentActionsService } from '../agent-actions/agent-actions.service';
import { Conversation } from '../conversation/conversation.types';
import { EscalationSettingsService } from './escalation-settings.service';
import { EscalationStepsService } from './escalation-steps.service';
import {
  DeliverCorrectionInput,
  DeliveredCorrection,
  EscalationSettings,
  EscalationStep,
  RecordEscalationStepInput,
  UpdateEscalationSettingsInput,
} from './escalation.types';

@Resolver(() => Conversation)
export class EscalationResolver {
  constructor(
    private readonly settings: EscalationSettingsService,
    private readonly steps: EscalationStepsService,
    private readonly agentActions: AgentActionsService,
  ) {}

  @Authorized('admin')
  @Query(() => EscalationSettings)
  async escalationSettings(@Ctx() ctx: ConversationContext): Promise<EscalationSettings> {
    return this.settings.get(ctx.auth.workspaceId);
  }

  @Authorized('admin')
  @Mutation(() => EscalationSettings, { description: 'Change SLAs; escalations started from now on use them' })
  async updateEscalationSettings(@Arg('input') input: UpdateEscalationSettingsInput, @Ctx() ctx: ConversationContext): Promise<EscalationSettings> {
    return this.settings.update(ctx.auth.workspaceId, input);
  }

  @Authorized('agent', 'analyst')
  @FieldResolver(() => [EscalationStep], { description: 'What the escalation did: offered, reminded, re-assigned, escalated, resolved' })
  async escalationSteps(@Root() conversation: Conversation, @Ctx() ctx: ConversationContext): Promise<EscalationStep[]> {
    return this.steps.list(ctx.auth.workspaceId, conversation.id);
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Mutation(() => DeliveredCorrection)
  async deliverCorrection(@Arg('input') input: DeliverCorrectionInput, @Ctx() ctx: ConversationContext): Promise<DeliveredCorrection> {
    return this.agentActions.deliver(ctx.auth.workspaceId, input);
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: 'Internal: true when the step was new' })
  async recordEscalationStep(@Arg('input') input: RecordEscalationStepInput, @Ctx() ctx: ConversationContext): Promise<boolean> {
    return this.steps.record(ctx.auth.workspaceId, input);
  }
}
