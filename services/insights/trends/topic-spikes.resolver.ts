/** Workspace.topicSpikes. */
import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/subgraph-context';
import { ownWorkspace } from '../workspace/workspace.resolver';
import { Workspace } from '../workspace/workspace.types';
import { SPIKE_DEFAULTS, TopicSpikesService } from './topic-spikes.service';
import { TopicSpikes, TopicSpikesInput } from './topic-spikes.types';

@Resolver(() => Workspace)
export class TopicSpikesResolver {
  constructor(private readonly trends: TopicSpikesService) {}

  @Authorized('analyst')
  @FieldResolver(() => TopicSpikes, { description: 'Topics whose volume rose significantly against their trailing baseline, with the product changes recorded shortly before' })
  async topicSpikes(@Root() workspace: Workspace, @Ctx() ctx: SubgraphContext, @Arg('input', () => TopicSpikesInput) input: TopicSpikesInput): Promise<TopicSpikes> {
    ownWorkspace(workspace, ctx);
    const result = await this.trends.spikes(workspace.id, {
      from: input.from,
      to: input.to,
      baselineWindows: input.baselineWindows ?? SPIKE_DEFAULTS.baselineWindows,
      significance: input.significance ?? SPIKE_DEFAULTS.significance,
      minVolume: input.minVolume ?? SPIKE_DEFAULTS.minVolume,
      linkDays: input.linkDays ?? SPIKE_DEFAULTS.linkDays,
    });
    return { ...result, spikes: result.spikes.map((s) => ({ ...s, productChanges: s.productChanges.map((c) => ({ ...c, recordedAt: new Date(c.recordedAt) })) })) };
  }
}
