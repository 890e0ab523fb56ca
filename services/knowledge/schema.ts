/** Builds the knowledge subgraph schema from its resolvers and services. */
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { Workspace } from './workspace/workspace.types';
import { buildFederatedSchema } from '../shared/federation';
import { KnowledgeItemResolver, knowledgeItemReference } from './knowledge-item/knowledge-item.resolver';
import { KnowledgeItemService } from './knowledge-item/knowledge-item.service';
import { WorkspaceKnowledgeResolver } from './workspace/workspace.resolver';
import { workspaceStubReference } from '../shared/workspace-reference';

export interface KnowledgeServices {
  knowledge: KnowledgeItemService;
}

export function createKnowledgeServices(db: DataSource): KnowledgeServices {
  return { knowledge: new KnowledgeItemService(db) };
}

export function buildKnowledgeSchema(services: KnowledgeServices): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [new KnowledgeItemResolver(services.knowledge), new WorkspaceKnowledgeResolver(services.knowledge)],
    orphanedTypes: [Workspace],
    referenceResolvers: { KnowledgeItem: knowledgeItemReference, Workspace: workspaceStubReference },
  });
}
