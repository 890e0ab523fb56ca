/** Account-context subgraph: config → Postgres (migrations) → schema → server → ready. */
import 'reflect-metadata';
import { hmacSecrets } from '../shared/config';
import { createLogger } from '../shared/logger';
import { createMetrics } from '../shared/metrics';
import { runProcess } from '../shared/run-process';
import { startSubgraph } from '../shared/subgraph-server';
import { AccountContextConfig, loadAccountContextConfig } from './config';
import { createRequestContext } from './context';
import { openAccountContextDatabase } from './database';
import { buildAccountContextSchema, createAccountContextServices } from './schema';

export async function startAccountContext(config: AccountContextConfig, host?: string) {
  const logger = createLogger('account-context', config.LOG_LEVEL);
  const metrics = createMetrics('account-context');
  const db = await openAccountContextDatabase(config.DATABASE_URL);
  const schema = await buildAccountContextSchema(createAccountContextServices(db));
  const server = await startSubgraph(
    {
      name: 'account-context',
      schema,
      secrets: hmacSecrets(config),
      logger,
      metrics,
      readiness: [{ name: 'postgres', check: () => db.query('SELECT 1') }],
      context: (auth) => createRequestContext(db, auth),
    },
    config.PORT,
    host,
  );
  return {
    port: server.port,
    async stop() {
      await server.stop();
      await db.destroy();
    },
  };
}

if (require.main === module) runProcess('account-context', () => startAccountContext(loadAccountContextConfig()));
