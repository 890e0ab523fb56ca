/** Builds the account-context subgraph schema from its resolvers and services. */
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { buildFederatedSchema } from '../shared/federation';
import type { SecretEnvelope } from '../shared/secret-envelope';
import { AgentResolver, agentReference } from './agent/agent.resolver';
import { AgentService } from './agent/agent.service';
import { BugResolver } from './bug/bug.resolver';
import { BugService } from './bug/bug.service';
import type { AccountContextConfig } from './config';
import { AccountResolver, CustomerResolver, accountReference, customerReference } from './customer/customer.resolver';
import { CustomerService } from './customer/customer.service';
import { QuestionContextResolver } from './question-context/question-context.resolver';
import { QuestionContextService } from './question-context/question-context.service';
import { WebhookResolver } from './webhook/webhook.resolver';
import { WebhookService } from './webhook/webhook.service';
import { WorkspaceResolver, workspaceReference } from './workspace/workspace.resolver';
import { WorkspaceService } from './workspace/workspace.service';

export interface AccountContextServices {
  envelope: SecretEnvelope;
  workspaces: WorkspaceService;
  agents: AgentService;
  customers: CustomerService;
  bugs: BugService;
  questionContexts: QuestionContextService;
  webhooks: WebhookService;
}

export function createAccountContextServices(db: DataSource, config: AccountContextConfig, envelope: SecretEnvelope): AccountContextServices {
  const customers = new CustomerService(db);
  const bugs = new BugService(db);
  const workspaces = new WorkspaceService(db, {
    envelope,
    customerTokens: { maxLifetimeSeconds: config.CUSTOMER_TOKEN_MAX_LIFETIME_SECONDS, clockSkewSeconds: config.CUSTOMER_TOKEN_CLOCK_SKEW_SECONDS },
    revocationLeaseMs: config.AUTH_REVOCATION_LEASE_MS,
  });
  return {
    envelope,
    workspaces,
    agents: new AgentService(db, workspaces),
    customers,
    bugs,
    questionContexts: new QuestionContextService(customers, bugs),
    webhooks: new WebhookService(db, customers, bugs, envelope),
  };
}

export function buildAccountContextSchema(services: AccountContextServices): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [
      new WorkspaceResolver(services.workspaces),
      new AgentResolver(services.agents),
      new CustomerResolver(services.customers),
      new AccountResolver(services.customers),
      new BugResolver(services.bugs),
      new QuestionContextResolver(services.questionContexts),
      new WebhookResolver(services.webhooks),
    ],
    referenceResolvers: {
      Workspace: workspaceReference(services.workspaces),
      Customer: customerReference,
      Account: accountReference,
      Agent: agentReference,
    },
  });
}
