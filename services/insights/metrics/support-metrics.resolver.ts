/** Workspace.support. A new filter is a field on SupportMetricsInput, passed through here to MetricsQuery. */
import { Arg, Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/subgraph-context';
import { ownWorkspace } from '../workspace/workspace.resolver';
import { Workspace } from '../workspace/workspace.types';
import { SupportMetricsService } from './support-metrics.service';
import { Granularity, SupportMetrics, SupportMetricsInput } from './support-metrics.types';

@Resolver(() => Workspace)
export class SupportMetricsResolver {
  constructor(private readonly supportMetrics: SupportMetricsService) {}

  @Authorized('analyst')
  @Directive('@requires(fields: "timeZone")')
  @FieldResolver(() => SupportMetrics, { description: "Automation, hand-offs (and why), resolution and ratings over time, in the workspace's time zone" })
  async support(
    @Root() workspace: Workspace,
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => SupportMetricsInput) input: SupportMetricsInput,
  ): Promise<SupportMetrics> {
    ownWorkspace(workspace, ctx);
    const timeZone = workspace.timeZone || 'UTC';
    const result = await this.supportMetrics.metrics(workspace.id, { ...input, granularity: input.granularity ?? Granularity.DAY, timeZone });
    return { ...result, timeZone };
  }
}
