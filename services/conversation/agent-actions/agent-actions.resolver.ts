/** The agent's inbox and actions on handed-off conversations. */
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { connectionOf } from '../../shared/connection';
import { assertUuid } from '../../shared/ids';
import type { ConversationContext } from '../context';
import type { IdempotentWrites } from '../idempotency/idempotent-writes';
import { AgentActionsService } from './agent-actions.service';
import type { ConversationStatusValue } from '../conversation/conversation.entity';
import { toConversation, toMessage } from '../conversation/conversation.resolver';
import { ConversationService, encodeCursor } from '../conversation/conversation.service';
import { Conversation, ConversationConnection, ConversationRef, Message } from '../conversation/conversation.types';
import { CorrectAnswerInput, CorrectionResult, InboxFilter, ReplyInput } from './agent-actions.types';

@Resolver()
export class AgentResolver {
  constructor(
    private readonly conversations: ConversationService,
    private readonly actions: AgentActionsService,
    private readonly writes: IdempotentWrites,
  ) {}

  @Authorized('agent')
  @Query(() => ConversationConnection, { description: 'Handed-off conversations (or other statuses), newest first' })
  async inbox(@Ctx() ctx: ConversationContext, @Arg('filter', () => InboxFilter, { nullable: true }) filter?: InboxFilter): Promise<ConversationConnection> {
    const statuses = (filter?.statuses?.length ? filter.statuses : ['handed_off']) as ConversationStatusValue[];
    const { rows, hasNextPage } = await this.conversations.list(ctx.auth.workspaceId, filter?.first ?? 20, filter?.after, {
      statuses,
      topic: filter?.topic,
      claimedBy: filter?.mine ? ctx.auth.subject : undefined,
      unclaimedOnly: filter?.unclaimed ?? false,
      group: filter?.group ?? undefined,
      language: filter?.language ?? undefined,
    });
    const edges = rows.map((keyed) => ({ cursor: encodeCursor(keyed), node: toConversation(keyed.row) }));
    return connectionOf(edges, hasNextPage);
  }

  @Authorized('agent')
  @Mutation(() => Conversation, { description: 'Take a conversation; other agents see it is yours' })
  async claimConversation(@Arg('input') input: ConversationRef, @Ctx() ctx: ConversationContext): Promise<Conversation> {
    const conversationId = assertUuid(input.conversationId, 'conversationId');
    return toConversation(await this.writes.conversationWrite(ctx.auth, 'claimConversation', input, (remember) => this.actions.claim(ctx.auth, conversationId, remember)));
  }

  @Authorized('agent')
  @Mutation(() => Message, { description: 'Reply to the customer' })
  async replyToConversation(@Arg('input') input: ReplyInput, @Ctx() ctx: ConversationContext): Promise<Message> {
    const conversationId = assertUuid(input.conversationId, 'conversationId');
    return toMessage(await this.writes.messageWrite(ctx.auth, 'replyToConversation', input, (remember) => this.actions.reply(ctx.auth, conversationId, input.text, remember)));
  }

  @Authorized('agent')
  @Mutation(() => CorrectionResult, { description: 'Correct an AI answer or hand-off: the customer gets the right answer and the AI learns it at once' })
  async correctAnswer(@Arg('input') input: CorrectAnswerInput, @Ctx() ctx: ConversationContext): Promise<CorrectionResult> {
    const command = {
      messageId: assertUuid(input.messageId, 'messageId'),
      correctedText: input.correctedText,
      knowledgeItemIds: (input.knowledgeItemIds ?? []).map((id) => assertUuid(id, 'knowledgeItemIds')),
      scope: input.scope,
      mayBeRetry: !!input.idempotencyKey,
    };
    const result = await this.writes.afterwards(
      ctx.auth,
      'correctAnswer',
      input,
      () => this.actions.correct(ctx.auth, command),
      (done) => ({ conversationId: done.conversation.id, messageId: done.message.id, learned: done.learned }),
      async (stored) => ({
        conversation: await this.writes.conversation(ctx.auth.workspaceId, stored.conversationId),
        message: await this.writes.message(ctx.auth.workspaceId, stored.messageId),
        learned: stored.learned,
      }),
    );
    return {
      conversation: toConversation(result.conversation),
      message: toMessage(result.message),
      learnedAnswer: result.learned.knowledgeItemId ? { id: result.learned.knowledgeItemId } : null,
      learning: result.learned.outcome.toUpperCase(),
    };
  }

  @Authorized('agent')
  @Mutation(() => Conversation)
  async resolveConversation(@Arg('input') input: ConversationRef, @Ctx() ctx: ConversationContext): Promise<Conversation> {
    const conversationId = assertUuid(input.conversationId, 'conversationId');
    return toConversation(await this.writes.conversationWrite(ctx.auth, 'resolveConversation', input, (remember) => this.actions.resolve(ctx.auth, conversationId, remember)));
  }

  @Authorized('agent')
  @Mutation(() => Conversation)
  async reopenConversation(@Arg('input') input: ConversationRef, @Ctx() ctx: ConversationContext): Promise<Conversation> {
    const conversationId = assertUuid(input.conversationId, 'conversationId');
    return toConversation(await this.writes.conversationWrite(ctx.auth, 'reopenConversation', input, (remember) => this.actions.reopen(ctx.auth, conversationId, remember)));
  }
}
