/**
 * Every subgraph's schema, built from the code without opening a database or a warehouse: schema building
 * only wires resolvers to services, and no service method runs while it happens.
 */
import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import type { Warehouse } from '../analytics/warehouse-client';
import { loadAccountContextConfig } from '../services/account-context/config';
import { buildAccountContextSchema, createAccountContextServices } from '../services/account-context/schema';
import { loadConversationConfig } from '../services/conversation/config';
import { buildConversationSchema, createConversationServices } from '../services/conversation/schema';
import { WebhookTargetPolicy } from '../services/insights/report/webhook-target-policy';
import { buildInsightsSchema, createInsightsServices } from '../services/insights/schema';
import { buildKnowledgeSchema, createKnowledgeServices } from '../services/knowledge/schema';
import { DEFAULT_PORTS } from '../services/shared/config';
import { createServiceDataSource } from '../services/shared/database';
import { createLogger } from '../services/shared/logger';
import { SecretEnvelope, newKeyEncryptionKey, parseKeyEncryptionKeys } from '../services/shared/secret-envelope';
import { lazyTemporalClient } from '../services/shared/temporal-connection';

export interface SubgraphDefinition {
  name: 'conversation' | 'knowledge' | 'account-context' | 'insights';
  url: string;
  build: () => Promise<GraphQLSchema>;
}

const offline = (schema: string) => createServiceDataSource({ url: 'postgres://offline/none', schema, entities: [], migrations: [] });
const defaultUrl = (name: SubgraphDefinition['name']) => `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`;

export const SUBGRAPHS: SubgraphDefinition[] = [
  {
    name: 'account-context',
    url: defaultUrl('account-context'),
    build: () => {
      const config = loadAccountContextConfig({
        INTERNAL_HMAC_SECRET: 'schema-generation-only-secret-000000',
        DATABASE_URL: 'postgres://offline/none',
        SECRETS_ENCRYPTION_KEYS: newKeyEncryptionKey('schema'),
      });
      return buildAccountContextSchema(createAccountContextServices(offline('account_context'), config, new SecretEnvelope(parseKeyEncryptionKeys(config.SECRETS_ENCRYPTION_KEYS))));
    },
  },
  {
    name: 'knowledge',
    url: defaultUrl('knowledge'),
    build: () => buildKnowledgeSchema(createKnowledgeServices(offline('knowledge'))),
  },
  {
    name: 'conversation',
    url: defaultUrl('conversation'),
    build: () =>
      buildConversationSchema(
        createConversationServices(
          offline('conversation'),
          loadConversationConfig({ INTERNAL_HMAC_SECRET: 'schema-generation-only-secret-000000', DATABASE_URL: 'postgres://offline/none' }),
          createLogger('schema', 'silent'),
        ),
      ),
  },
  {
    name: 'insights',
    url: defaultUrl('insights'),
    build: () =>
      buildInsightsSchema(
        createInsightsServices({ warehouse: {} as Warehouse, db: offline('insights'), temporal: lazyTemporalClient('offline:0', 'none'), taskQueue: 'none', webhookTargets: new WebhookTargetPolicy([]) }),
      ),
  },
];
