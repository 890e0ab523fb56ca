/** Customer-facing operations (ask, signals) and conversation reads. Thin: roles, ids, mapping. */
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { agentIdOf } from '../../shared/agent-subject';
import { assertUuid } from '../../shared/ids';
import type { InFlightLimit } from '../../shared/in-flight-limit';
import { mayReadPersonalData } from '../../shared/personal-data';
import type { ConversationContext } from '../context';
import { AskService } from '../ask/ask.service';
import type { ConversationEntity } from './conversation.entity';
import { ConversationService } from './conversation.service';
import { AiTurn, AnswerPreview, AskInput, PreviewAnswerInput } from '../ask/ask.types';
import { RateAnswerInput } from '../customer-signals/customer-signals.types';
import { AnswerDecision, Conversation, ConversationRef, ConversationOutcome, ConversationStatus, HandOffReason, Message, MessageAuthor, Rating } from './conversation.types';
import { CustomerSignalsService } from '../customer-signals/customer-signals.service';
import type { IdempotentWrites } from '../idempotency/idempotent-writes';
import type { CitationRecord, MessageEntity } from './message.entity';

const agentOf = (subject: string | null | undefined) => {
  const id = agentIdOf(subject);
  return id ? { id } : null;
};

export function outcomeOf(entity: Pick<ConversationEntity, 'status' | 'handedOffAt' | 'claimedBy'>): ConversationOutcome {
  if (entity.status === 'resolved') return entity.handedOffAt ? ConversationOutcome.RESOLVED_BY_AGENT : ConversationOutcome.RESOLVED_BY_AI;
  if (entity.status === 'handed_off') return entity.claimedBy ? ConversationOutcome.WITH_AGENT : ConversationOutcome.WAITING_FOR_AGENT;
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

const toCitations = (citations: CitationRecord[]) =>
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

const optionalId = (value: string | undefined | null, field: string) => (value === undefined || value === null ? undefined : assertUuid(value, field));

@Resolver(() => Conversation)
export class ConversationResolver {
  constructor(
    private readonly conversations: ConversationService,
    private readonly asking: AskService,
    private readonly askSlots: InFlightLimit,
    private readonly signals: CustomerSignalsService,
    private readonly writes: IdempotentWrites,
  ) {}

  @Authorized('widget')
  @Mutation(() => AiTurn, { description: "Ask a question; the AI answers from the workspace's knowledge or hands off to an agent" })
  async ask(@Arg('input') input: AskInput, @Ctx() ctx: ConversationContext): Promise<AiTurn> {
    const command = {
      conversationId: optionalId(input.conversationId, 'conversationId'),
      conversationSecret: input.conversationSecret,
      text: input.text,
      page: input.page,
      channel: input.channel,
    };
    // The slot is taken before the idempotency key is looked up or anything is written: a refused ask leaves nothing.
    const result = await this.askSlots.run(() => this.writes.ask(ctx.auth, input, (remember) => this.asking.ask(ctx.auth, command, remember)));
    return {
      conversation: toConversation(result.conversation),
      message: toMessage(result.message),
      decision: result.decision,
      handOffReason: result.handOffReason,
      confidence: result.confidence,
      latencyMs: result.latencyMs,
      conversationSecret: result.conversationSecret,
    };
  }

  @Authorized('widget')
  @Mutation(() => Message, { description: 'Rate an AI answer, once' })
  async rateAnswer(@Arg('input') input: RateAnswerInput, @Ctx() ctx: ConversationContext): Promise<Message> {
    const messageId = assertUuid(input.messageId, 'messageId');
    return toMessage(await this.writes.messageWrite(ctx.auth, 'rateAnswer', input, (remember) => this.signals.rate(ctx.auth, messageId, input.rating, input.conversationSecret, remember)));
  }

  @Authorized('widget')
  @Mutation(() => Conversation, { description: 'The customer says their question is answered' })
  async markResolved(@Arg('input') input: ConversationRef, @Ctx() ctx: ConversationContext): Promise<Conversation> {
    const conversationId = assertUuid(input.conversationId, 'conversationId');
    return toConversation(await this.writes.conversationWrite(ctx.auth, 'markResolved', input, (remember) => this.signals.markResolved(ctx.auth, conversationId, input.conversationSecret, remember)));
  }

  @Authorized('widget')
  @Mutation(() => Conversation, { description: 'The customer asks for a person' })
  async requestHuman(@Arg('input') input: ConversationRef, @Ctx() ctx: ConversationContext): Promise<Conversation> {
    const conversationId = assertUuid(input.conversationId, 'conversationId');
    return toConversation(await this.writes.conversationWrite(ctx.auth, 'requestHuman', input, (remember) => this.signals.requestHuman(ctx.auth, conversationId, input.conversationSecret, remember)));
  }

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

  @Authorized('agent')
  @Query(() => AnswerPreview, { description: 'What the AI would answer now (agents check it before correcting); records nothing and learns nothing' })
  async previewAnswer(@Arg('input') input: PreviewAnswerInput, @Ctx() ctx: ConversationContext): Promise<AnswerPreview> {
    const { language, decision, written, citations } = await this.asking.preview(ctx.auth.workspaceId, input.text, input.plan ?? null);
    return {
      language,
      decision: decision.decision,
      handOffReason: decision.handOffReason,
      confidence: decision.confidence,
      threshold: decision.threshold,
      topic: decision.topic,
      text: written?.text ?? null,
      citations: toCitations(citations),
      candidate: decision.best ? { id: decision.best.knowledgeItemId } : null,
    };
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
