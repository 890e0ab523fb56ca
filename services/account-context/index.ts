/** Account-context subgraph process. */
import 'reflect-metadata';
import { startPostgresSubgraph } from '../shared/postgres-subgraph';
import { runProcess } from '../shared/run-process';
import { AccountContextConfig, loadAccountContextConfig } from './config';
import { createRequestContext } from './context';
import { openAccountContextDatabase } from './database';
import { buildAccountContextSchema, createAccountContextServices } from './schema';
import { mountWebhookRoutes } from './webhook/webhook.routes';

export function startAccountContext(config: AccountContextConfig, host?: string) {
  return startPostgresSubgraph(
    {
      name: 'account-context',
      openDatabase: openAccountContextDatabase,
      createServices: createAccountContextServices,
      buildSchema: buildAccountContextSchema,
      createContext: createRequestContext,
      routes: (app, services, logger) => mountWebhookRoutes(app, services.webhooks, logger),
    },
    config,
    host,
  );
}

if (require.main === module) runProcess('account-context', () => startAccountContext(loadAccountContextConfig()));
