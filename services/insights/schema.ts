/** Builds the insights subgraph schema from its resolvers and services. */
import type { GraphQLSchema } from 'graphql';
import type { Warehouse } from '../../analytics/warehouse-client';
import { Workspace } from './workspace/workspace.types';
import { buildFederatedSchema } from '../shared/federation';
import { workspaceStubReference } from '../shared/workspace-reference';
import { ActivityService } from './activity/activity.service';
import { WorkspaceInsightsResolver } from './workspace/workspace.resolver';

export interface InsightsServices {
  activity: ActivityService;
}

export function createInsightsServices(warehouse: Warehouse): InsightsServices {
  return { activity: new ActivityService(warehouse) };
}

export function buildInsightsSchema(services: InsightsServices): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [new WorkspaceInsightsResolver(services.activity)],
    orphanedTypes: [Workspace],
    referenceResolvers: { Workspace: workspaceStubReference },
  });
}
