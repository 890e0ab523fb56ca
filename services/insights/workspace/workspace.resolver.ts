/** Fields insights adds to Workspace. */
import { Arg, Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { StaleContentService } from '../content/stale-content.service';
import { StaleContentInput, StaleContentReport } from '../content/stale-content.types';
import { LearningCurveService } from '../learning/learning-curve.service';
import { FrictionPoint, InsightRangeInput, LearningCurveBucket } from '../learning/learning-curve.types';
import { SupportMetricsService } from '../metrics/support-metrics.service';
import { Granularity, SupportMetrics, SupportMetricsInput } from '../metrics/support-metrics.types';
import { forbidden } from '../../shared/errors';
import type { SubgraphContext } from '../../shared/subgraph-context';
import { ActivityService } from '../activity/activity.service';
import { ActivitySummary, TimeRangeInput } from '../activity/activity.types';
import { KnowledgeGapsService } from '../gaps/knowledge-gaps.service';
import { KnowledgeGap, KnowledgeGapsInput } from '../gaps/knowledge-gaps.types';
import { SPIKE_DEFAULTS, TopicSpikesService } from '../trends/topic-spikes.service';
import { TopicSpikes, TopicSpikesInput } from '../trends/topic-spikes.types';
import { Workspace } from './workspace.types';

@Resolver(() => Workspace)
export class WorkspaceInsightsResolver {
  constructor(
    private readonly activityService: ActivityService,
    private readonly supportMetrics: SupportMetricsService,
    private readonly learning: LearningCurveService,
    private readonly content: StaleContentService,
    private readonly trends: TopicSpikesService,
    private readonly gaps: KnowledgeGapsService,
  ) {}

  @Authorized('analyst')
  @FieldResolver(() => [KnowledgeGap], { description: 'Handed-off and escalated questions clustered by what they ask (TF-IDF, average-linkage clustering), largest first' })
  async knowledgeGaps(@Root() workspace: Workspace, @Ctx() ctx: SubgraphContext, @Arg('input', () => KnowledgeGapsInput) input: KnowledgeGapsInput): Promise<KnowledgeGap[]> {
    if (workspace.id !== ctx.auth.workspaceId) throw forbidden('Insights of another workspace are not visible');
    return this.gaps.gaps(workspace.id, { from: input.from, to: input.to, topic: input.topic, first: input.first ?? 20 });
  }

  @Authorized('analyst')
  @FieldResolver(() => TopicSpikes, { description: 'Topics whose volume rose significantly against their trailing baseline, with the product changes recorded shortly before' })
  async topicSpikes(@Root() workspace: Workspace, @Ctx() ctx: SubgraphContext, @Arg('input', () => TopicSpikesInput) input: TopicSpikesInput): Promise<TopicSpikes> {
    if (workspace.id !== ctx.auth.workspaceId) throw forbidden('Insights of another workspace are not visible');
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

  @Authorized('analyst')
  @FieldResolver(() => StaleContentReport, { description: 'Stale items still being served, and items nobody has cited lately' })
  async staleContent(
    @Root() workspace: Workspace,
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => StaleContentInput, { nullable: true }) input?: StaleContentInput,
  ): Promise<StaleContentReport> {
    if (workspace.id !== ctx.auth.workspaceId) throw forbidden('Insights of another workspace are not visible');
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

  @Authorized('analyst')
  @Directive('@requires(fields: "timeZone")')
  @FieldResolver(() => [LearningCurveBucket], { description: 'Corrections absorbed, answers learned, topics opened, automation, per bucket' })
  async learningCurve(@Root() workspace: Workspace, @Ctx() ctx: SubgraphContext, @Arg('input', () => InsightRangeInput) input: InsightRangeInput): Promise<LearningCurveBucket[]> {
    if (workspace.id !== ctx.auth.workspaceId) throw forbidden('Insights of another workspace are not visible');
    return this.learning.curve(workspace.id, { from: input.from, to: input.to, granularity: input.granularity ?? Granularity.WEEK, timeZone: workspace.timeZone || 'UTC' });
  }

  @Authorized('analyst')
  @FieldResolver(() => [FrictionPoint], { description: 'Topics by plan and page with the most repeat contacts, down-ratings and hand-offs' })
  async frictionPoints(@Root() workspace: Workspace, @Ctx() ctx: SubgraphContext, @Arg('input', () => InsightRangeInput) input: InsightRangeInput): Promise<FrictionPoint[]> {
    if (workspace.id !== ctx.auth.workspaceId) throw forbidden('Insights of another workspace are not visible');
    return this.learning.friction(workspace.id, input.from, input.to, input.first ?? 20);
  }

  @Authorized('analyst')
  @Directive('@requires(fields: "timeZone")')
  @FieldResolver(() => SupportMetrics, { description: "Automation, hand-offs (and why), resolution and ratings over time, in the workspace's time zone" })
  async support(
    @Root() workspace: Workspace,
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => SupportMetricsInput) input: SupportMetricsInput,
  ): Promise<SupportMetrics> {
    if (workspace.id !== ctx.auth.workspaceId) throw forbidden('Insights of another workspace are not visible');
    const timeZone = workspace.timeZone || 'UTC';
    const result = await this.supportMetrics.metrics(workspace.id, { ...input, granularity: input.granularity ?? Granularity.DAY, timeZone });
    return { ...result, timeZone };
  }

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

/** Like other subgraphs' workspace stubs, plus the time zone the gateway supplies for @requires fields. */
export const insightsWorkspaceReference = {
  __resolveReference(reference: { id: string; timeZone?: string }, ctx: SubgraphContext): Workspace | null {
    return reference.id === ctx.auth.workspaceId ? { id: reference.id, timeZone: reference.timeZone ?? 'UTC' } : null;
  },
};
