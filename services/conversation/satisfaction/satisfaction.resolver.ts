/** CSAT after resolution (customers), its wording and the drop-off window (admins). Thin: roles, ids, mapping. */
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { badInput } from '../../shared/errors';
import { assertUuid } from '../../shared/ids';
import type { ConversationContext } from '../context';
import { toConversation } from '../conversation/conversation.resolver';
import { Conversation } from '../conversation/conversation.types';
import type { IdempotentWrites } from '../idempotency/idempotent-writes';
import { CsatService } from './csat.service';
import { SatisfactionSettingsService } from './satisfaction-settings.service';
import { RateConversationInput, SatisfactionSettings, SatisfactionSurvey, UpdateSatisfactionSettingsInput } from './satisfaction.types';

@Resolver()
export class SatisfactionResolver {
  constructor(
    private readonly settings: SatisfactionSettingsService,
    private readonly csat: CsatService,
    private readonly writes: IdempotentWrites,
  ) {}

  @Authorized('widget')
  @Mutation(() => Conversation, { description: 'The customer says how satisfied they were (1–5), once, after the conversation was resolved' })
  async rateConversation(@Arg('input') input: RateConversationInput, @Ctx() ctx: ConversationContext): Promise<Conversation> {
    const conversationId = assertUuid(input.conversationId, 'conversationId');
    const comment = input.comment?.trim() || null;
    return toConversation(
      await this.writes.conversationWrite(ctx.auth, 'rateConversation', input, (remember) =>
        this.csat.rate(ctx.auth, conversationId, input.score, comment, input.conversationSecret, remember),
      ),
    );
  }

  @Authorized('widget', 'agent', 'analyst')
  @Query(() => SatisfactionSurvey, { description: "The CSAT survey in the workspace's words, for the front-end to show after resolution" })
  async satisfactionSurvey(@Ctx() ctx: ConversationContext): Promise<SatisfactionSurvey> {
    const { csatQuestion, csatLabels } = await this.settings.get(ctx.auth.workspaceId);
    return { question: csatQuestion, scores: csatLabels.map((label, i) => ({ score: i + 1, label })) };
  }

  @Authorized('admin')
  @Query(() => SatisfactionSettings)
  async satisfactionSettings(@Ctx() ctx: ConversationContext): Promise<SatisfactionSettings> {
    return this.settings.get(ctx.auth.workspaceId);
  }

  @Authorized('admin')
  @Mutation(() => SatisfactionSettings, { description: "Change the CSAT survey's wording or the drop-off window; what is not given stays" })
  async updateSatisfactionSettings(@Arg('input') input: UpdateSatisfactionSettingsInput, @Ctx() ctx: ConversationContext): Promise<SatisfactionSettings> {
    const csatQuestion = input.csatQuestion?.trim();
    const csatLabels = input.csatLabels?.map((label) => label.trim());
    if (csatQuestion === '') throw badInput('csatQuestion must have text, not only spaces');
    if (csatLabels?.some((label) => label === '')) throw badInput('Each of the five csatLabels must have text, not only spaces');
    return this.settings.update(ctx.auth.workspaceId, { csatQuestion, csatLabels, dropOffWindowMs: input.dropOffWindowMs });
  }
}
