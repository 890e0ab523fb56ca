/**
 * The knowledge services on a throwaway database of their own, for an integration test file: opened before its
 * tests, closed and dropped after them. Read `db` and `sut` inside tests (they are set once beforeAll has run).
 */
import type { DataSource } from 'typeorm';
import { openKnowledgeDatabase } from '../../services/knowledge/database';
import { KnowledgeServices, createKnowledgeServices } from '../../services/knowledge/schema';
import { ThrowawayDatabase, createThrowawayDatabase } from './database';

export interface KnowledgeServicesUnderTest {
  db: DataSource;
  sut: KnowledgeServices;
}

export function useKnowledgeServices(databasePrefix: string): KnowledgeServicesUnderTest {
  const under = {} as KnowledgeServicesUnderTest;
  let database: ThrowawayDatabase | undefined;
  beforeAll(async () => {
    database = await createThrowawayDatabase(databasePrefix);
    under.db = await openKnowledgeDatabase(database.url);
    under.sut = createKnowledgeServices(under.db);
  });
  afterAll(async () => {
    await under.db?.destroy();
    await database?.drop();
  });
  return under;
}
