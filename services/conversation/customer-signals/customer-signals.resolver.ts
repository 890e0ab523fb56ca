/** The customer's signals on a conversation: a rating of an answer, "answered", "a person, please". Thin: roles, ids, mapping. */
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { assertUuid } from '../../shared/ids';
import type { ConversationContext } from '../context';
import { toConversation, toMessage } from '../conversation/conversation.resolver';
import { Conversation, ConversationRef, Message } from '../conversation/conversation.types';
import type { IdempotentWrites } from '../idempotency/idempotent-writes';
import { CustomerSignalsService } from './customer-signals.service';
import { RateAnswerInput } from './customer-signals.types';

@Resolver()
export class CustomerSignalsResolver {
  constructor(
    private readonly signals: CustomerSignalsService,
    private readonly writes: IdempotentWrites,
  ) {}

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
}
