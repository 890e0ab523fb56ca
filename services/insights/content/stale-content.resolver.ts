/** Workspace.staleContent. */
import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/subgraph-context';
import { ownWorkspace } from '../workspace/workspace.resolver';
import { Workspace } from '../workspace/workspace.types';
import { StaleContentService } from './stale-content.service';
import { StaleContentInput, StaleContentReport } from './stale-content.types';

@Resolver(() => Workspace)
export class StaleContentResolver {
  constructor(private readonly content: StaleContentService) {}

  @Authorized('analyst')
  @FieldResolver(() => StaleContentReport, { description: 'Stale items still being served, and items nobody has cited lately' })
  async staleContent(
    @Root() workspace: Workspace,
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => StaleContentInput, { nullable: true }) input?: StaleContentInput,
  ): Promise<StaleContentReport> {
    ownWorkspace(workspace, ctx);
    const first = input?.first ?? 50;
    const [stillServed, uncited] = await Promise.all([
      this.content.staleStillServed(workspace.id, first),
      this.content.uncited(workspace.id, input?.uncitedDays ?? 90, new Date(), first),
    ]);
    return {
      stillServed: stillServed.map(({ knowledgeItemId, ...row }) => ({ ...row, knowledgeItem: { id: knowledgeItemId } })),
      uncited: uncited.items.map(({ knowledgeItemId, ...row }) => ({ ...row, knowledgeItem: { id: knowledgeItemId } })),
      uncitedCount: uncited.uncitedCount,
      publishedCount: uncited.publishedCount,
    };
  }
}
