/** Conversation reads, and the mapping of conversations and messages to their GraphQL types. Thin: roles, ids, mapping. */
import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { agentIdOf } from '../../shared/agent-subject';
import { assertUuid } from '../../shared/ids';
import { mayReadPersonalData } from '../../shared/personal-data';
import type { ConversationContext } from '../context';
import type { ConversationEntity } from './conversation.entity';
import { ConversationService } from './conversation.service';
import { AnswerDecision, Conversation, ConversationOutcome, ConversationStatus, HandOffReason, Message, MessageAuthor, Rating } from './conversation.types';
import type { CitationRecord, MessageEntity } from './message.entity';

const agentOf = (subject: string | null | undefined) => {
  const id = agentIdOf(subject);
  return id ? { id } : null;
};

export function outcomeOf(entity: Pick<ConversationEntity, 'status' | 'handedOffAt' | 'claimedBy' | 'firstRepliedAt'>): ConversationOutcome {
  if (entity.status === 'resolved') {
    // A person wrote to the customer (a reply, or a correction of an AI answer, with or without a hand-off).
    if (entity.firstRepliedAt) return ConversationOutcome.RESOLVED_BY_AGENT;
    return entity.handedOffAt ? ConversationOutcome.RESOLVED_WITHOUT_REPLY : ConversationOutcome.RESOLVED_BY_AI;
  }
  if (entity.status === 'handed_off') {
    // Claimed, or answered by an agent since the latest hand-off (a correction need not claim it first).
    const answered = entity.firstRepliedAt !== null && entity.handedOffAt !== null && entity.firstRepliedAt >= entity.handedOffAt;
    return entity.claimedBy || answered ? ConversationOutcome.WITH_AGENT : ConversationOutcome.WAITING_FOR_AGENT;
  }
  return ConversationOutcome.OPEN;
}

export const toConversation = (entity: ConversationEntity): Conversation => ({
  id: entity.id,
  status: entity.status as ConversationStatus,
  customer: entity.customerId ? { id: entity.customerId } : null,
  topic: entity.topic,
  outcome: outcomeOf(entity),
  channel: entity.channel ?? null,
  language: entity.language ?? null,
  handOffReason: (entity.handOffReason as HandOffReason | null) ?? null,
  handedOffAt: entity.handedOffAt,
  claimedBy: entity.claimedBy,
  claimant: agentOf(entity.claimedBy),
  assignedGroup: entity.assignedGroup ?? null,
  resolvedAt: entity.resolvedAt,
  csat: entity.csatScore ? { score: entity.csatScore, comment: entity.csatComment ?? null, ratedAt: entity.csatAt! } : null,
  createdAt: entity.createdAt,
  updatedAt: entity.updatedAt,
});

export const toCitations = (citations: CitationRecord[]) =>
  citations.map((c) => ({ knowledgeItem: { id: c.knowledgeItemId }, version: c.itemVersion, passage: c.passage, translatedFrom: c.translatedFrom ?? null }));

export const toMessage = (entity: MessageEntity): Message => ({
  id: entity.id,
  author: entity.author as MessageAuthor,
  text: entity.text,
  page: entity.page,
  language: entity.language ?? null,
  confidence: entity.confidence,
  decision: (entity.decision as AnswerDecision | null) ?? null,
  handOffReason: (entity.handOffReason as HandOffReason | null) ?? null,
  rating: (entity.rating as Rating | null) ?? null,
  corrected: entity.correctedAt !== null && entity.correctedAt !== undefined,
  correctsMessageId: entity.correctsMessageId ?? null,
  agent: entity.author === 'agent' ? agentOf(entity.authorId) : null,
  writtenBy: entity.author === 'agent' ? (entity.authorId ?? null) : null,
  createdAt: entity.createdAt,
  citations: toCitations(entity.citations),
});

@Resolver(() => Conversation)
export class ConversationResolver {
  constructor(private readonly conversations: ConversationService) {}

  @Authorized('widget', 'agent', 'analyst')
  @Query(() => Conversation)
  async conversation(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: ConversationContext,
    @Arg('conversationSecret', () => String, { nullable: true, description: "For an anonymous visitor's conversation: the secret its first ask returned" })
    conversationSecret?: string,
  ): Promise<Conversation> {
    return toConversation(await this.conversations.getForCaller(ctx.auth, assertUuid(id, 'id'), conversationSecret));
  }

  @FieldResolver(() => [Message], {
    description: "The transcript, oldest first. Analysts get the customer's questions only, unless the workspace sets analystsSeePersonalData",
  })
  async messages(@Root() conversation: Conversation, @Ctx() ctx: ConversationContext): Promise<Message[]> {
    // Replies from agents and the AI address the customer by name and quote their account: personal data.
    const questionsOnly = ctx.auth.role === 'analyst' && !mayReadPersonalData(ctx.auth);
    return (await this.conversations.messagesOf(ctx.auth.workspaceId, conversation.id, { questionsOnly })).map(toMessage);
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
