/** Account-context subgraph process. */
import 'reflect-metadata';
import { startPostgresSubgraph } from '../shared/postgres-subgraph';
import { SecretEnvelope, parseKeyEncryptionKeys } from '../shared/secret-envelope';
import { runProcess } from '../shared/run-process';
import { AccountContextConfig, loadAccountContextConfig } from './config';
import { createRequestContext } from './context';
import { openAccountContextDatabase } from './database';
import { resealStoredSecrets } from './secrets/stored-secrets';
import { buildAccountContextSchema, createAccountContextServices } from './schema';
import { mountWebhookRoutes } from './webhook/webhook.routes';

export function startAccountContext(config: AccountContextConfig, host?: string) {
  const envelope = new SecretEnvelope(parseKeyEncryptionKeys(config.SECRETS_ENCRYPTION_KEYS));
  return startPostgresSubgraph(
    {
      name: 'account-context',
      // Secrets are sealed under the current key before anything reads them: legacy clear values and values
      // wrapped under a retired key both end up under the first key of SECRETS_ENCRYPTION_KEYS.
      openDatabase: async (url) => {
        const db = await openAccountContextDatabase(url);
        try {
          await resealStoredSecrets(db, envelope);
        } catch (error) {
          await db.destroy();
          throw error;
        }
        return db;
      },
      createServices: (db) => createAccountContextServices(db, config, envelope),
      buildSchema: buildAccountContextSchema,
      createContext: createRequestContext,
      routes: (app, services, logger) => mountWebhookRoutes(app, services.webhooks, logger),
    },
    config,
    host,
  );
}

if (require.main === module) runProcess('account-context', () => startAccountContext(loadAccountContextConfig()));
