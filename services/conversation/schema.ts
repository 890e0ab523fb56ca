/** Builds the conversation subgraph schema from its resolvers and services. */
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { Workspace } from './workspace/workspace.types';
import { buildFederatedSchema } from '../shared/federation';
import { InternalGraphQLClient } from '../shared/internal-client';
import { workspaceStubReference } from '../shared/workspace-reference';
import { AccountContextClient } from './clients/account-context';
import { KnowledgeClient } from './clients/knowledge';
import type { ConversationConfig } from './config';
import { ConversationResolver, conversationReference } from './conversation/conversation.resolver';
import { ConversationService } from './conversation/conversation.service';
import { WorkspaceConversationsResolver } from './workspace/workspace.resolver';

export interface ConversationServices {
  conversations: ConversationService;
}

export function createConversationServices(db: DataSource, config: ConversationConfig): ConversationServices {
  const knowledge = new KnowledgeClient(new InternalGraphQLClient(config.KNOWLEDGE_URL, config.INTERNAL_HMAC_SECRET));
  const accountContext = new AccountContextClient(new InternalGraphQLClient(config.ACCOUNT_CONTEXT_URL, config.INTERNAL_HMAC_SECRET));
  return { conversations: new ConversationService(db, knowledge, accountContext, config.MAX_QUESTION_BYTES) };
}

export function buildConversationSchema(services: ConversationServices): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [new ConversationResolver(services.conversations), new WorkspaceConversationsResolver(services.conversations)],
    orphanedTypes: [Workspace],
    referenceResolvers: { Conversation: conversationReference(services.conversations), Workspace: workspaceStubReference },
  });
}
