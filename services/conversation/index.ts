/** Conversation subgraph process. */
import 'reflect-metadata';
import { PollingLoop } from '../shared/polling-loop';
import { startPostgresSubgraph } from '../shared/postgres-subgraph';
import { runProcess } from '../shared/run-process';
import { ConversationConfig, loadConversationConfig } from './config';
import { createRequestContext } from './context';
import { openConversationDatabase } from './database';
import { buildConversationSchema, createConversationServices } from './schema';

const IDEMPOTENCY_PRUNE_INTERVAL_MS = 15 * 60_000;

export function startConversation(config: ConversationConfig, host?: string) {
  return startPostgresSubgraph(
    {
      name: 'conversation',
      openDatabase: openConversationDatabase,
      createServices: (db, logger, metrics) => createConversationServices(db, config, logger, metrics.registry),
      buildSchema: buildConversationSchema,
      createContext: createRequestContext,
      startBackground: (services, logger) => {
        services.dispatcher?.start();
        // Until it listens, the askers' context cache keeps nothing.
        services.accountContextChanges?.start();
        const pruning = new PollingLoop(() => services.idempotencyKeys.prune(), {
          intervalMs: IDEMPOTENCY_PRUNE_INTERVAL_MS,
          maxDelayMs: IDEMPOTENCY_PRUNE_INTERVAL_MS,
          onFailure: (error) => logger.warn({ err: error }, 'pruning expired idempotency keys failed'),
        });
        pruning.start();
        // Drop-offs: answers whose window passed with no rating, resolution or follow-up (satisfaction/drop-off-sweep.ts).
        const dropOffs = new PollingLoop(() => services.dropOffs.pass(), {
          intervalMs: config.DROP_OFF_SWEEP_MS,
          maxDelayMs: Math.max(config.DROP_OFF_SWEEP_MS, 60_000),
          onFailure: (error, failures) => logger.warn({ err: error, failures }, 'drop-off sweep failed; due answers stay unsettled and are retried'),
        });
        dropOffs.start();
        return {
          async stop() {
            await dropOffs.stop();
            await pruning.stop();
            await services.accountContextChanges?.stop();
            await services.dispatcher?.stop();
            await services.temporal?.close();
          },
        };
      },
    },
    config,
    host,
  );
}

if (require.main === module) runProcess('conversation', () => startConversation(loadConversationConfig()));
