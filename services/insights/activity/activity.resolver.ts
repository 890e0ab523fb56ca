/** Workspace.activity. */
import { Arg, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/subgraph-context';
import { ownWorkspace } from '../workspace/workspace.resolver';
import { Workspace } from '../workspace/workspace.types';
import { ActivityService } from './activity.service';
import { ActivitySummary, TimeRangeInput } from './activity.types';

@Resolver(() => Workspace)
export class ActivityResolver {
  constructor(private readonly activityService: ActivityService) {}

  @Authorized('analyst')
  @FieldResolver(() => ActivitySummary, { description: 'Questions, answers and hand-offs in a time range (default: the last 30 days)' })
  async activity(
    @Root() workspace: Workspace,
    @Ctx() ctx: SubgraphContext,
    @Arg('range', () => TimeRangeInput, { nullable: true }) range?: TimeRangeInput,
  ): Promise<ActivitySummary> {
    ownWorkspace(workspace, ctx);
    const figures = await this.activityService.summary(workspace.id, range?.from, range?.to);
    const decided = figures.answered + figures.handedOff;
    return { ...figures, automationRate: decided === 0 ? null : figures.answered / decided };
  }
}
