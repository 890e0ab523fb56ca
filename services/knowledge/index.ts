/** Knowledge subgraph process. */
import 'reflect-metadata';
import { startPostgresSubgraph } from '../shared/postgres-subgraph';
import { runProcess } from '../shared/run-process';
import { KnowledgeConfig, loadKnowledgeConfig } from './config';
import { createRequestContext } from './context';
import { KNOWLEDGE_SCHEMA, openKnowledgeDatabase } from './database';
import { lazyTemporalClient } from '../shared/temporal-connection';
import { WorkflowStartDispatcher } from '../shared/workflow-starts';
import { PollingLoop } from '../shared/polling-loop';
import { buildKnowledgeSchema, createKnowledgeServices } from './schema';

const RECEIPT_PRUNE_INTERVAL_MS = 60 * 60_000;

export function startKnowledge(config: KnowledgeConfig, host?: string) {
  return startPostgresSubgraph(
    {
      name: 'knowledge',
      openDatabase: openKnowledgeDatabase,
      createServices: (db, logger) =>
        createKnowledgeServices(
          db,
          {
            reviews: {
              enabled: config.PRODUCT_CHANGE_REVIEWS_ENABLED,
              deadlineMs: config.PRODUCT_CHANGE_REVIEW_DEADLINE_MS,
              checkEveryMs: config.PRODUCT_CHANGE_REVIEW_CHECK_MS,
            },
            intentModels: { maxModels: config.INTENT_MODELS_MAX, maxBytes: config.INTENT_MODELS_MAX_BYTES },
            passageIndex: { maxPassages: config.PASSAGE_INDEX_MAX_PASSAGES },
          },
          logger,
        ),
      buildSchema: buildKnowledgeSchema,
      createContext: createRequestContext,
      startBackground: (services, logger) => {
        // Outcome signals' keys are kept long enough to absorb a resend (outcome.service.ts), then forgotten.
        const pruning = new PollingLoop(() => services.outcomes.pruneReceipts(), {
          intervalMs: RECEIPT_PRUNE_INTERVAL_MS,
          maxDelayMs: RECEIPT_PRUNE_INTERVAL_MS,
          onFailure: (error) => logger.warn({ err: error }, 'pruning old outcome receipts failed'),
        });
        pruning.start();
        if (!config.PRODUCT_CHANGE_REVIEWS_ENABLED) return { stop: () => pruning.stop() };
        const temporal = lazyTemporalClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
        const dispatcher = new WorkflowStartDispatcher(services.db, KNOWLEDGE_SCHEMA, () => temporal.get(), config.TEMPORAL_TASK_QUEUE, logger);
        dispatcher.start();
        return {
          async stop() {
            await pruning.stop();
            await dispatcher.stop();
            await temporal.close();
          },
        };
      },
    },
    config,
    host,
  );
}

if (require.main === module) runProcess('knowledge', () => startKnowledge(loadKnowledgeConfig()));
