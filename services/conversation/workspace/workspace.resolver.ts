/** Fields conversation adds to Workspace. */
import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { connectionOf } from '../../shared/connection';
import { forbidden } from '../../shared/errors';
import type { ConversationContext } from '../context';
import { ConversationService, encodeCursor } from '../conversation/conversation.service';
import { ConversationConnection, ConversationsPage } from '../conversation/conversation.types';
import { toConversation } from '../conversation/conversation.resolver';
import { Workspace } from './workspace.types';

@Resolver(() => Workspace)
export class WorkspaceConversationsResolver {
  constructor(private readonly conversationService: ConversationService) {}

  @Authorized('agent', 'analyst')
  @FieldResolver(() => ConversationConnection, { description: 'Conversations, newest first' })
  async conversations(
    @Root() workspace: Workspace,
    @Ctx() ctx: ConversationContext,
    @Arg('page', () => ConversationsPage, { nullable: true }) page?: ConversationsPage,
  ): Promise<ConversationConnection> {
    if (workspace.id !== ctx.auth.workspaceId) throw forbidden('Conversations of another workspace are not visible');
    const { rows, hasNextPage } = await this.conversationService.list(workspace.id, page?.first ?? 20, page?.after);
    const edges = rows.map((keyed) => ({ cursor: encodeCursor(keyed), node: toConversation(keyed.row) }));
    return connectionOf(edges, hasNextPage);
  }
}

