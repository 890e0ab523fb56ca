/** Fields knowledge adds to Workspace. */
import { Authorized, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { KnowledgeContext } from '../context';
import { KnowledgeItemService } from '../knowledge-item/knowledge-item.service';
import { Workspace } from './workspace.types';

@Resolver(() => Workspace)
export class WorkspaceKnowledgeResolver {
  constructor(private readonly knowledge: KnowledgeItemService) {}

  @Authorized('agent', 'analyst')
  @FieldResolver(() => Int, { description: 'Knowledge items of every kind and status' })
  async knowledgeItemCount(@Root() workspace: Workspace, @Ctx() ctx: KnowledgeContext): Promise<number> {
    return this.knowledge.countItems(ctx.auth.workspaceId === workspace.id ? workspace.id : ctx.auth.workspaceId);
  }
}

