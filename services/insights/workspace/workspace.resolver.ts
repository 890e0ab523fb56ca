/** Fields insights adds to Workspace. */
import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../shared/errors';
import type { SubgraphContext } from '../../shared/subgraph-context';
import { ActivityService } from '../activity/activity.service';
import { ActivitySummary, TimeRangeInput } from '../activity/activity.types';
import { Workspace } from './workspace.types';

@Resolver(() => Workspace)
export class WorkspaceInsightsResolver {
  constructor(private readonly activityService: ActivityService) {}

  @Authorized('analyst')
  @FieldResolver(() => ActivitySummary, { description: 'Questions, answers and hand-offs in a time range (default: the last 30 days)' })
  async activity(
    @Root() workspace: Workspace,
    @Ctx() ctx: SubgraphContext,
    @Arg('range', () => TimeRangeInput, { nullable: true }) range?: TimeRangeInput,
  ): Promise<ActivitySummary> {
    if (workspace.id !== ctx.auth.workspaceId) throw forbidden('Insights of another workspace are not visible');
    const figures = await this.activityService.summary(workspace.id, range?.from, range?.to);
    const decided = figures.answered + figures.handedOff;
    return { ...figures, automationRate: decided === 0 ? null : figures.answered / decided };
  }
}
