/** Asking: a customer's question answered (or handed off) by the AI, and an agent's preview of that answer. Thin: roles, ids, mapping. */
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { assertUuid } from '../../shared/ids';
import type { InFlightLimit } from '../../shared/in-flight-limit';
import type { ConversationContext } from '../context';
import { toCitations, toConversation, toMessage } from '../conversation/conversation.resolver';
import type { IdempotentWrites } from '../idempotency/idempotent-writes';
import { AskService } from './ask.service';
import { AiTurn, AnswerPreview, AskInput, PreviewAnswerInput } from './ask.types';

const optionalId = (value: string | undefined | null, field: string) => (value === undefined || value === null ? undefined : assertUuid(value, field));

@Resolver()
export class AskResolver {
  constructor(
    private readonly asking: AskService,
    private readonly askSlots: InFlightLimit,
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
    // Only an ask answered now (not one replayed for its key) says how long asking takes.
    let answeredNow = false;
    const result = await this.askSlots.run(
      () =>
        this.writes.ask(ctx.auth, input, (remember) => {
          answeredNow = true;
          return this.asking.ask(ctx.auth, command, remember);
        }),
      () => answeredNow,
    );
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

  @Authorized('agent')
  @Query(() => AnswerPreview, { description: 'What the AI would answer now (agents check it before correcting); records nothing and learns nothing' })
  async previewAnswer(@Arg('input') input: PreviewAnswerInput, @Ctx() ctx: ConversationContext): Promise<AnswerPreview> {
    const { language, decision, written, citations } = await this.asking.preview(ctx.auth.workspaceId, input.text, input.plan ?? null, input.page ?? null);
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
}
