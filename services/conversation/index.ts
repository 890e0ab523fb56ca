/** Conversation subgraph process. */
import 'reflect-metadata';
import { startPostgresSubgraph } from '../shared/postgres-subgraph';
import { runProcess } from '../shared/run-process';
import { ConversationConfig, loadConversationConfig } from './config';
import { createRequestContext } from './context';
import { openConversationDatabase } from './database';
import { buildConversationSchema, createConversationServices } from './schema';

export function startConversation(config: ConversationConfig, host?: string) {
  return startPostgresSubgraph(
    {
      name: 'conversation',
      openDatabase: openConversationDatabase,
      createServices: (db, logger, metrics) => createConversationServices(db, config, logger, metrics.registry),
      buildSchema: buildConversationSchema,
      createContext: createRequestContext,
      startBackground: (services) => {
        services.dispatcher?.start();
        return {
          async stop() {
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
