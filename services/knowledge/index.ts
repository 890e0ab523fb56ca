/** Knowledge subgraph process. */
import 'reflect-metadata';
import { startPostgresSubgraph } from '../shared/postgres-subgraph';
import { runProcess } from '../shared/run-process';
import { KnowledgeConfig, loadKnowledgeConfig } from './config';
import { createRequestContext } from './context';
import { openKnowledgeDatabase } from './database';
import { buildKnowledgeSchema, createKnowledgeServices } from './schema';

export function startKnowledge(config: KnowledgeConfig, host?: string) {
  return startPostgresSubgraph(
    {
      name: 'knowledge',
      openDatabase: openKnowledgeDatabase,
      createServices: createKnowledgeServices,
      buildSchema: buildKnowledgeSchema,
      createContext: createRequestContext,
    },
    config,
    host,
  );
}

if (require.main === module) runProcess('knowledge', () => startKnowledge(loadKnowledgeConfig()));
