/** The agent's inbox and actions on handed-off conversations. */
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { assertUuid } from '../../shared/ids';
import type { ConversationContext } from '../context';
import { AgentActionsService } from './agent-actions.service';
import type { ConversationStatusValue } from './conversation.entity';
import { toConversation, toMessage } from './conversation.resolver';
import { ConversationService, encodeCursor } from './conversation.service';
import {
  Conversation,
  ConversationConnection,
  ConversationRef,
  CorrectAnswerInput,
  CorrectionResult,
  InboxFilter,
  Message,
  ReplyInput,
} from './conversation.types';

@Resolver()
export class AgentResolver {
  constructor(
    private readonly conversations: ConversationService,
    private readonly actions: AgentActionsService,
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
    });
    const edges = rows.map((row) => ({ cursor: encodeCursor(row), node: toConversation(row) }));
    return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @Authorized('agent')
  @Mutation(() => Conversation, { description: 'Take a conversation; other agents see it is yours' })
  async claimConversation(@Arg('input') input: ConversationRef, @Ctx() ctx: ConversationContext): Promise<Conversation> {
    return toConversation(await this.actions.claim(ctx.auth, assertUuid(input.conversationId, 'conversationId')));
  }

  @Authorized('agent')
  @Mutation(() => Message, { description: 'Reply to the customer' })
  async replyToConversation(@Arg('input') input: ReplyInput, @Ctx() ctx: ConversationContext): Promise<Message> {
    return toMessage(await this.actions.reply(ctx.auth, assertUuid(input.conversationId, 'conversationId'), input.text));
  }

  @Authorized('agent')
  @Mutation(() => CorrectionResult, { description: 'Correct an AI answer or hand-off: the customer gets the right answer and the AI learns it at once' })
  async correctAnswer(@Arg('input') input: CorrectAnswerInput, @Ctx() ctx: ConversationContext): Promise<CorrectionResult> {
    const result = await this.actions.correct(ctx.auth, {
      messageId: assertUuid(input.messageId, 'messageId'),
      correctedText: input.correctedText,
      knowledgeItemIds: (input.knowledgeItemIds ?? []).map((id) => assertUuid(id, 'knowledgeItemIds')),
    });
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
    return toConversation(await this.actions.resolve(ctx.auth, assertUuid(input.conversationId, 'conversationId')));
  }

  @Authorized('agent')
  @Mutation(() => Conversation)
  async reopenConversation(@Arg('input') input: ConversationRef, @Ctx() ctx: ConversationContext): Promise<Conversation> {
    return toConversation(await this.actions.reopen(ctx.auth, assertUuid(input.conversationId, 'conversationId')));
  }
}
