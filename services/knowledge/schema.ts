/** Builds the knowledge subgraph schema from its resolvers and services. */
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { buildFederatedSchema } from '../shared/federation';
import { workspaceStubReference } from '../shared/workspace-reference';
import { KnowledgeItemResolver, knowledgeItemReference } from './knowledge-item/knowledge-item.resolver';
import { KnowledgeItemService } from './knowledge-item/knowledge-item.service';
import { AnswerPolicyService } from './learning/answer-policy.service';
import { LearnedAnswerService } from './learning/learned-answer.service';
import { LearningResolver } from './learning/learning.resolver';
import { OutcomeService } from './learning/outcome.service';
import { SettingsService } from './learning/settings.service';
import { ProductChangeResolver } from './product-change/product-change.resolver';
import { ProductChangeService, ReviewPolicy } from './product-change/product-change.service';
import { RetrievalResolver } from './retrieval/retrieval.resolver';
import { RetrievalService } from './retrieval/retrieval.service';
import { IntentModels } from './intent/intent-models';
import type { Logger } from '../shared/logger';
import { WorkspaceKnowledgeResolver } from './workspace/workspace.resolver';
import { Workspace } from './workspace/workspace.types';

export interface KnowledgeServices {
  db: DataSource;
  knowledge: KnowledgeItemService;
  settings: SettingsService;
  policy: AnswerPolicyService;
  outcomes: OutcomeService;
  retrieval: RetrievalService;
  learned: LearnedAnswerService;
  productChanges: ProductChangeService;
  /** The workspaces' intent models (this process's). */
  intents: IntentModels;
}

export interface KnowledgeOptions {
  reviews: ReviewPolicy;
}

const NO_REVIEW_WORKFLOWS: KnowledgeOptions = { reviews: { enabled: false, deadlineMs: 0, checkEveryMs: 0 } };

export function createKnowledgeServices(db: DataSource, options: KnowledgeOptions = NO_REVIEW_WORKFLOWS, logger?: Logger): KnowledgeServices {
  const settings = new SettingsService(db);
  const policy = new AnswerPolicyService(db, settings);
  const intents = new IntentModels(db, logger);
  return {
    db,
    knowledge: new KnowledgeItemService(db),
    settings,
    policy,
    outcomes: new OutcomeService(db, policy, (workspaceId, variant) => intents.learnedVariant(workspaceId, variant.id, variant.text, variant.itemId), settings),
    retrieval: new RetrievalService(db, policy, intents),
    learned: new LearnedAnswerService(db, settings, policy, intents),
    productChanges: new ProductChangeService(db, options.reviews),
    intents,
  };
}

export function buildKnowledgeSchema(services: KnowledgeServices): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      new KnowledgeItemResolver(services.knowledge, services.outcomes),
      new WorkspaceKnowledgeResolver(services.knowledge),
      new RetrievalResolver(services.retrieval, services.outcomes),
      new LearningResolver(services.db, services.learned, services.settings, services.policy),
      new ProductChangeResolver(services.productChanges),
    ],
    orphanedTypes: [Workspace],
    referenceResolvers: { KnowledgeItem: knowledgeItemReference, Workspace: workspaceStubReference },
  });
}
