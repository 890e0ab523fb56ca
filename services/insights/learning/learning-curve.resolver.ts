/** Workspace.learningCurve and Workspace.frictionPoints. */
import { Arg, Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/subgraph-context';
import { Granularity } from '../metrics/support-metrics.types';
import { ownWorkspace } from '../workspace/workspace.resolver';
import { Workspace } from '../workspace/workspace.types';
import { askerContextOf } from '../asker-context';
import { LearningCurveService } from './learning-curve.service';
import { FrictionBreakdown, FrictionPoint, InsightRangeInput, LearningCurveBucket } from './learning-curve.types';

@Resolver(() => Workspace)
export class LearningCurveResolver {
  constructor(private readonly learning: LearningCurveService) {}

  @Authorized('analyst')
  @Directive('@requires(fields: "timeZone")')
  @FieldResolver(() => [LearningCurveBucket], { description: 'Corrections absorbed, answers learned, topics opened, questions and automation, per bucket; input.context cuts questions and automation' })
  async learningCurve(@Root() workspace: Workspace, @Ctx() ctx: SubgraphContext, @Arg('input', () => InsightRangeInput) input: InsightRangeInput): Promise<LearningCurveBucket[]> {
    ownWorkspace(workspace, ctx);
    return this.learning.curve(workspace.id, {
      from: input.from,
      to: input.to,
      granularity: input.granularity ?? Granularity.WEEK,
      timeZone: workspace.timeZone || 'UTC',
      context: askerContextOf(input.context),
    });
  }

  @Authorized('analyst')
  @FieldResolver(() => [FrictionPoint], { description: 'Topics by plan and page with the most repeat contacts, down-ratings, hand-offs and (a quarter each) drop-offs; input.context keeps one plan and/or page area' })
  async frictionPoints(
    @Root() workspace: Workspace,
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => InsightRangeInput) input: InsightRangeInput,
    @Arg('by', () => FrictionBreakdown, { nullable: true, description: 'Rank per topic and plan, or per topic and page area; default per topic, plan and page' }) by?: FrictionBreakdown | null,
  ): Promise<FrictionPoint[]> {
    ownWorkspace(workspace, ctx);
    return this.learning.friction(workspace.id, input.from, input.to, input.first ?? 20, { context: askerContextOf(input.context), by: by ?? undefined });
  }
}
