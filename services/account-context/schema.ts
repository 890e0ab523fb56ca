/** Builds the account-context subgraph schema from its resolvers and services. */
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { buildFederatedSchema } from '../shared/federation';
import { AccountResolver, CustomerResolver, accountReference, customerReference } from './customer/customer.resolver';
import { CustomerService } from './customer/customer.service';
import { WorkspaceResolver, workspaceReference } from './workspace/workspace.resolver';
import { WorkspaceService } from './workspace/workspace.service';

export interface AccountContextServices {
  workspaces: WorkspaceService;
  customers: CustomerService;
}

export function createAccountContextServices(db: DataSource): AccountContextServices {
  return { workspaces: new WorkspaceService(db), customers: new CustomerService(db) };
}

export function buildAccountContextSchema(services: AccountContextServices): Promise<GraphQLSchema> {
  return buildFederatedSchema({
    resolvers: [new WorkspaceResolver(services.workspaces), new CustomerResolver(services.customers), new AccountResolver(services.customers)],
    referenceResolvers: {
      Workspace: workspaceReference(services.workspaces),
      Customer: customerReference,
      Account: accountReference,
    },
  });
}
