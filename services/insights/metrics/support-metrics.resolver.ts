/** Workspace.support. A new filter is a field on SupportMetricsInput, passed through here to MetricsQuery. */
import { Arg, Authorized, Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../shared/subgraph-context';
import { ownWorkspace } from '../workspace/workspace.resolver';
import { Workspace } from '../workspace/workspace.types';
import { LazyResponseTimes } from './lazy-response-times';
import { BucketCounts, ResponseTimes, SupportMetricsService } from './support-metrics.service';
import { Granularity, SupportBucket, SupportMetrics, SupportMetricsInput } from './support-metrics.types';

/** A bucket as Workspace.support returns it: its counts now, its response times when a field asks for them. */
type BucketRoot = BucketCounts & { responseTimes(): Promise<ResponseTimes> };

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
    const query = { ...input, granularity: input.granularity ?? Granularity.DAY, timeZone };
    const counts = await this.supportMetrics.counts(workspace.id, query);
    const times = new LazyResponseTimes((scope) => this.supportMetrics.responseTimes(workspace.id, query, scope));
    const buckets: BucketRoot[] = counts.buckets.map((bucket) => ({ ...bucket, responseTimes: () => times.bucket(bucket.start) }));
    const totals: BucketRoot = { ...counts.totals, responseTimes: () => times.range() };
    // The time fields are resolved by SupportBucketTimesResolver from responseTimes().
    return { ...counts, buckets, totals, timeZone } as unknown as SupportMetrics;
  }
}

/** SupportBucket's response times, computed only for a query that asks for one (see LazyResponseTimes). */
@Resolver(() => SupportBucket)
export class SupportBucketTimesResolver {
  @FieldResolver()
  async medianFirstResponseSeconds(@Root() bucket: BucketRoot): Promise<number | null> {
    return (await bucket.responseTimes()).medianFirstResponseSeconds;
  }

  @FieldResolver()
  async p90FirstResponseSeconds(@Root() bucket: BucketRoot): Promise<number | null> {
    return (await bucket.responseTimes()).p90FirstResponseSeconds;
  }

  @FieldResolver()
  async medianResolutionSeconds(@Root() bucket: BucketRoot): Promise<number | null> {
    return (await bucket.responseTimes()).medianResolutionSeconds;
  }

  @FieldResolver()
  async p90ResolutionSeconds(@Root() bucket: BucketRoot): Promise<number | null> {
    return (await bucket.responseTimes()).p90ResolutionSeconds;
  }
}
