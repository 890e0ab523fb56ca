/** The ask mutation and conversation reads. */
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertUuid } from '../../shared/ids';
import type { ConversationContext } from '../context';
import type { ConversationEntity } from './conversation.entity';
import { ConversationService } from './conversation.service';
import { AiTurn, AskInput, Conversation, ConversationStatus, Message, MessageAuthor } from './conversation.types';
import type { MessageEntity } from './message.entity';

export const toConversation = (entity: ConversationEntity): Conversation => ({
  id: entity.id,
  status: entity.status as ConversationStatus,
  customer: entity.customerId ? { id: entity.customerId } : null,
  createdAt: entity.createdAt,
  updatedAt: entity.updatedAt,
});

const toMessage = (entity: MessageEntity): Message => ({
  id: entity.id,
  author: entity.author as MessageAuthor,
  text: entity.text,
  page: entity.page,
  confidence: entity.confidence,
  createdAt: entity.createdAt,
  citations: entity.citations.map((c) => ({ knowledgeItem: { id: c.knowledgeItemId }, version: c.itemVersion, passage: c.passage })),
});

@Resolver(() => Conversation)
export class ConversationResolver {
  constructor(private readonly conversations: ConversationService) {}

  @Authorized('widget')
  @Mutation(() => AiTurn, { description: "Ask a question; the AI answers from the workspace's knowledge or hands off to an agent" })
  async ask(@Arg('input') input: AskInput, @Ctx() ctx: ConversationContext): Promise<AiTurn> {
    const conversationId = input.conversationId === undefined || input.conversationId === null ? undefined : assertUuid(input.conversationId, 'conversationId');
    const result = await this.conversations.ask(ctx.auth, { conversationId, text: input.text, page: input.page });
    return {
      conversation: toConversation(result.conversation),
      message: toMessage(result.message),
      decision: result.decision,
      handOffReason: result.handOffReason,
      confidence: result.confidence,
      latencyMs: result.latencyMs,
    };
  }

  @Authorized('widget', 'agent', 'analyst')
  @Query(() => Conversation)
  async conversation(@Arg('id', () => ID) id: string, @Ctx() ctx: ConversationContext): Promise<Conversation> {
    return toConversation(await this.conversations.getForCaller(ctx.auth, assertUuid(id, 'id')));
  }

  @FieldResolver(() => [Message])
  async messages(@Root() conversation: Conversation, @Ctx() ctx: ConversationContext): Promise<Message[]> {
    return (await this.conversations.messagesOf(ctx.auth.workspaceId, conversation.id)).map(toMessage);
  }
}

export function conversationReference(conversations: ConversationService) {
  return {
    async __resolveReference(reference: { id: string }, ctx: ConversationContext): Promise<Conversation | null> {
      try {
        return toConversation(await conversations.getForCaller(ctx.auth, reference.id));
      } catch {
        return null;
      }
    },
  };
}
