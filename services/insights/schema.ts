/** Builds the insights subgraph schema from its resolvers and services. */
import type { GraphQLSchema } from 'graphql';
import type { Warehouse } from '../../analytics/warehouse-client';
import { Workspace } from './workspace/workspace.types';
import { buildFederatedSchema } from '../shared/federation';
import { ActivityService } from './activity/activity.service';
import { StaleContentService } from './content/stale-content.service';
import { LearningCurveService } from './learning/learning-curve.service';
import { SupportMetricsService } from './metrics/support-metrics.service';
import { TopicSpikesService } from './trends/topic-spikes.service';
import { KnowledgeGapsService } from './gaps/knowledge-gaps.service';
import { WorkspaceInsightsResolver, insightsWorkspaceReference } from './workspace/workspace.resolver';

export interface InsightsServices {
  activity: ActivityService;
  supportMetrics: SupportMetricsService;
  learning: LearningCurveService;
  content: StaleContentService;
  trends: TopicSpikesService;
  gaps: KnowledgeGapsService;
}

export function createInsightsServices(warehouse: Warehouse): InsightsServices {
  return { activity: new ActivityService(warehouse), supportMetrics: new SupportMetricsService(warehouse), learning: new LearningCurveService(warehouse), content: new StaleContentService(warehouse), trends: new TopicSpikesService(warehouse), gaps: new KnowledgeGapsService(warehouse) };
}

export function buildInsightsSchema(services: InsightsServices): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [new WorkspaceInsightsResolver(services.activity, services.supportMetrics, services.learning, services.content, services.trends, services.gaps)],
    orphanedTypes: [Workspace],
    referenceResolvers: { Workspace: insightsWorkspaceReference },
  });
}
