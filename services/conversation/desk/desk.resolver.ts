/** The agent's desk: inbox search sorted by SLA, each conversation's SLA, and why the AI handed it off. Thin. */
import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { connectionOf } from '../../shared/connection';
import { badInput } from '../../shared/errors';
import type { ConversationContext } from '../context';
import type { ConversationStatusValue } from '../conversation/conversation.entity';
import { toConversation, toMessage } from '../conversation/conversation.resolver';
import { ConversationService } from '../conversation/conversation.service';
import { Conversation, ConversationConnection } from '../conversation/conversation.types';
import { HandOffViewService } from './hand-off-view.service';
import { HandOffView } from './hand-off-view.types';
import { InboxQuery, InboxSearchService } from './inbox-search.service';
import { ClaimedByFilter, ConversationSla, SearchInboxInput, SlaState } from './inbox-search.types';

/** A search hit carries its SLA, computed by the same query that sorted it. */
type ConversationWithSla = Conversation & { precomputedSla?: ConversationSla };

@Resolver(() => Conversation)
export class DeskResolver {
  constructor(
    private readonly conversations: ConversationService,
    private readonly search: InboxSearchService,
    private readonly handOffs: HandOffViewService,
  ) {}

  @Authorized('agent')
  @Query(() => ConversationConnection, { description: 'Search the inbox: words in questions and replies plus filters, the SLA due first' })
  async searchInbox(@Arg('input', () => SearchInboxInput) input: SearchInboxInput, @Ctx() ctx: ConversationContext): Promise<ConversationConnection> {
    if (input.waitingSinceBefore && input.waitingSinceAfter && input.waitingSinceAfter >= input.waitingSinceBefore) {
      throw badInput('waitingSinceAfter must be before waitingSinceBefore');
    }
    const text = input.text?.trim();
    if (input.text !== undefined && input.text !== null && !text) throw badInput('text must contain a word to search for');
    const claimedBy: InboxQuery['claimedBy'] =
      input.claimedBy === ClaimedByFilter.ME ? { subject: ctx.auth.subject } : input.claimedBy === ClaimedByFilter.ANYONE ? 'anyone' : input.claimedBy === ClaimedByFilter.NOBODY ? 'nobody' : undefined;
    const { hits, hasNextPage } = await this.search.search(
      ctx.auth.workspaceId,
      {
        text: text || undefined,
        statuses: (input.statuses?.length ? input.statuses : ['handed_off']) as ConversationStatusValue[],
        topic: input.topic ?? undefined,
        plan: input.plan ?? undefined,
        language: input.language ?? undefined,
        group: input.group ?? undefined,
        claimedBy,
        slaStates: input.slaStates ?? undefined,
        waitingSinceBefore: input.waitingSinceBefore ?? undefined,
        waitingSinceAfter: input.waitingSinceAfter ?? undefined,
      },
      input.first ?? 20,
      input.after ?? undefined,
    );
    const rows = new Map((await this.conversations.byIds(ctx.auth.workspaceId, hits.map((hit) => hit.conversationId))).map((row) => [row.id, row]));
    const edges = hits.flatMap((hit) => {
      const row = rows.get(hit.conversationId);
      if (!row) return [];
      const node: ConversationWithSla = { ...toConversation(row), precomputedSla: { dueAt: hit.dueAt, state: hit.state as SlaState } };
      return [{ cursor: hit.cursor, node }];
    });
    return connectionOf(edges, hasNextPage, hits.at(-1)?.cursor ?? null);
  }

  @Authorized('agent')
  @FieldResolver(() => ConversationSla, { description: 'The next SLA: first response until an agent answers, then resolution; NONE when none runs' })
  async sla(@Root() conversation: ConversationWithSla, @Ctx() ctx: ConversationContext): Promise<ConversationSla> {
    if (conversation.precomputedSla) return conversation.precomputedSla;
    const facts = (await this.search.slaOf(ctx.auth.workspaceId, [conversation.id])).get(conversation.id);
    return { dueAt: facts?.dueAt ?? null, state: (facts?.state ?? 'none') as SlaState };
  }

  @Authorized('agent')
  @FieldResolver(() => HandOffView, { nullable: true, description: 'Why the AI handed it off, the candidate it almost chose and the account context it used; null if never handed off' })
  async handOff(@Root() conversation: Conversation, @Ctx() ctx: ConversationContext): Promise<HandOffView | null> {
    const entity = await this.conversations.getForCaller(ctx.auth, conversation.id);
    const facts = await this.handOffs.of(entity);
    if (!facts) return null;
    const turn = facts.message;
    return {
      reason: facts.reason,
      explanation: facts.explanation,
      message: turn ? toMessage(turn) : null,
      confidence: turn?.confidence ?? null,
      threshold: turn?.threshold ?? null,
      candidate: turn?.candidateItemId ? { id: turn.candidateItemId } : null,
      page: turn?.page ?? null,
      askerContext: turn?.askerContext ?? null,
    };
  }
}
