/** Builds the insights subgraph schema from its resolvers and services. */
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Warehouse } from '../../analytics/warehouse-client';
import { buildFederatedSchema } from '../shared/federation';
import type { lazyTemporalClient } from '../shared/temporal-connection';
import { ActivityService } from './activity/activity.service';
import { StaleContentService } from './content/stale-content.service';
import { KnowledgeGapsService } from './gaps/knowledge-gaps.service';
import { LearningCurveService } from './learning/learning-curve.service';
import { SupportMetricsService } from './metrics/support-metrics.service';
import { ReportWebhookService } from './report/report-webhook.service';
import { WeeklyReportBuilder } from './report/weekly-report-builder';
import { WeeklyReportFieldsResolver, WeeklyReportResolver } from './report/weekly-report.resolver';
import { WeeklyReportRunner } from './report/weekly-report-runner';
import { WeeklyReportService } from './report/weekly-report.service';
import { WebhookPoster } from './report/webhook-poster';
import { WebhookTargetPolicy } from './report/webhook-target-policy';
import { TopicSpikesService } from './trends/topic-spikes.service';
import { insightsWorkspaceReference } from './workspace/workspace.resolver';
import { ActivityResolver } from './activity/activity.resolver';
import { StaleContentResolver } from './content/stale-content.resolver';
import { KnowledgeGapsResolver } from './gaps/knowledge-gaps.resolver';
import { LearningCurveResolver } from './learning/learning-curve.resolver';
import { SupportBucketTimesResolver, SupportMetricsResolver } from './metrics/support-metrics.resolver';
import { TopicSpikesResolver } from './trends/topic-spikes.resolver';
import { Workspace } from './workspace/workspace.types';

export interface InsightsServices {
  activity: ActivityService;
  supportMetrics: SupportMetricsService;
  learning: LearningCurveService;
  content: StaleContentService;
  trends: TopicSpikesService;
  gaps: KnowledgeGapsService;
  reports: WeeklyReportService;
  webhooks: ReportWebhookService;
  runner: WeeklyReportRunner;
}

export interface InsightsDependencies {
  warehouse: Warehouse;
  db: DataSource;
  temporal: ReturnType<typeof lazyTemporalClient>;
  taskQueue: string;
  /** Where report webhooks may point (REPORT_WEBHOOK_ALLOWED_HOSTS). */
  webhookTargets: WebhookTargetPolicy;
}

export function createInsightsServices({ warehouse, db, temporal, taskQueue, webhookTargets }: InsightsDependencies): InsightsServices {
  const sources = {
    supportMetrics: new SupportMetricsService(warehouse),
    learning: new LearningCurveService(warehouse),
    content: new StaleContentService(warehouse),
    trends: new TopicSpikesService(warehouse),
    gaps: new KnowledgeGapsService(warehouse),
  };
  return {
    ...sources,
    activity: new ActivityService(warehouse),
    reports: new WeeklyReportService(db, new WeeklyReportBuilder(sources), new WebhookPoster(webhookTargets)),
    webhooks: new ReportWebhookService(db, webhookTargets),
    runner: new WeeklyReportRunner(temporal, taskQueue),
  };
}

export function buildInsightsSchema(services: InsightsServices): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      // One resolver per domain, each adding its fields to Workspace.
      new KnowledgeGapsResolver(services.gaps),
      new TopicSpikesResolver(services.trends),
      new StaleContentResolver(services.content),
      new LearningCurveResolver(services.learning),
      new SupportMetricsResolver(services.supportMetrics),
      new SupportBucketTimesResolver(),
      new ActivityResolver(services.activity),
      new WeeklyReportResolver(services.reports, services.webhooks, services.runner),
      new WeeklyReportFieldsResolver(services.reports),
    ],
    orphanedTypes: [Workspace],
    referenceResolvers: { Workspace: insightsWorkspaceReference },
  });
}
