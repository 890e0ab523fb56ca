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
import { SensitivityResolver } from './sensitivity/sensitivity.resolver';
import { SensitivityService } from './sensitivity/sensitivity.service';
import { RetrievalResolver } from './retrieval/retrieval.resolver';
import { KnowledgeSearchResolver } from './search/knowledge-search.resolver';
import { KnowledgeSearchService } from './search/knowledge-search.service';
import { RetrievalService } from './retrieval/retrieval.service';
import { PassageIndexBounds, PassageIndexes } from './retrieval/passage-index';
import { IntentModelBounds, IntentModels } from './intent/intent-models';
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
  sensitivity: SensitivityService;
  search: KnowledgeSearchService;
  /** The workspaces' intent models (this process's). */
  intents: IntentModels;
}

export interface KnowledgeOptions {
  reviews: ReviewPolicy;
  /** How many workspace intent models this process holds (least recently used ones are dropped and rebuilt on demand). */
  intentModels?: IntentModelBounds;
  /** How many passages this process holds in its workspaces' passage indexes (least recently asked ones are dropped and reloaded on demand). */
  passageIndex?: PassageIndexBounds;
}

const NO_REVIEW_WORKFLOWS: KnowledgeOptions = { reviews: { enabled: false, deadlineMs: 0, checkEveryMs: 0 } };

export function createKnowledgeServices(db: DataSource, options: KnowledgeOptions = NO_REVIEW_WORKFLOWS, logger?: Logger): KnowledgeServices {
  const settings = new SettingsService(db);
  const policy = new AnswerPolicyService(db, settings);
  const intents = new IntentModels(db, logger, options.intentModels);
  return {
    db,
    knowledge: new KnowledgeItemService(db, (workspaceId) => intents.changed(workspaceId)),
    settings,
    policy,
    outcomes: new OutcomeService(db, policy, settings, (workspaceId, variant) => intents.learnedVariant(workspaceId, variant.id, variant.text, variant.itemId)),
    retrieval: new RetrievalService(db, policy, intents, settings, new PassageIndexes(db, options.passageIndex)),
    learned: new LearnedAnswerService(db, settings, policy, intents),
    productChanges: new ProductChangeService(db, options.reviews),
    sensitivity: new SensitivityService(db),
    search: new KnowledgeSearchService(db),
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
      new SensitivityResolver(services.sensitivity),
      new KnowledgeSearchResolver(services.search),
    ],
    orphanedTypes: [Workspace],
    referenceResolvers: { KnowledgeItem: knowledgeItemReference, Workspace: workspaceStubReference },
  });
}
