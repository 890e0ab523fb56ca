/** Workspace.knowledgeGaps. */
import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/subgraph-context';
import { ownWorkspace } from '../workspace/workspace.resolver';
import { Workspace } from '../workspace/workspace.types';
import { KnowledgeGapsService } from './knowledge-gaps.service';
import { KnowledgeGap, KnowledgeGapsInput } from './knowledge-gaps.types';

@Resolver(() => Workspace)
export class KnowledgeGapsResolver {
  constructor(private readonly gaps: KnowledgeGapsService) {}

  @Authorized('analyst')
  @FieldResolver(() => [KnowledgeGap], { description: 'Handed-off and escalated questions clustered by what they ask (TF-IDF, average-linkage clustering), largest first' })
  async knowledgeGaps(@Root() workspace: Workspace, @Ctx() ctx: SubgraphContext, @Arg('input', () => KnowledgeGapsInput) input: KnowledgeGapsInput): Promise<KnowledgeGap[]> {
    ownWorkspace(workspace, ctx);
    return this.gaps.gaps(workspace.id, { from: input.from, to: input.to, topic: input.topic, first: input.first ?? 20 });
  }
}
