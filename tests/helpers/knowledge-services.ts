/**
 * The knowledge services on a throwaway database of their own, for an integration test file: opened before its
 * tests, closed and dropped after them. Read `db` and `sut` inside tests (they are set once beforeAll has run).
 */
import type { DataSource } from 'typeorm';
import { MIN_SAMPLES } from '../../services/knowledge/learning/answer-policy';
import { openKnowledgeDatabase } from '../../services/knowledge/database';
import { KnowledgeServices, createKnowledgeServices } from '../../services/knowledge/schema';
import { ThrowawayDataSource, useThrowawayDataSource } from './database';

export interface KnowledgeServicesUnderTest {
  db: DataSource;
  sut: KnowledgeServices;
}

export function useKnowledgeServices(databasePrefix: string): KnowledgeServicesUnderTest {
  const under = useThrowawayDataSource(databasePrefix, openKnowledgeDatabase) as ThrowawayDataSource & KnowledgeServicesUnderTest;
  beforeAll(() => {
    under.sut = createKnowledgeServices(under.db);
  });
  return under;
}

/**
 * Sets a (topic, scale)'s learned bar as if outcomes had taught it (with MIN_SAMPLES behind it): how retrieval tests
 * open or close one confidence scale to see what another decides.
 */
export function setTopicBar(db: DataSource, workspaceId: string, topic: string, scale: string, threshold: number): Promise<unknown> {
  return db.query(
    `INSERT INTO knowledge.topic_policies (workspace_id, topic, scale, threshold, samples, precision_at_threshold, updated_at)
     VALUES ($1, $2, $3, $4, $5, 0.95, now())
     ON CONFLICT (workspace_id, topic, scale) DO UPDATE SET threshold = EXCLUDED.threshold, samples = EXCLUDED.samples`,
    [workspaceId, topic, scale, threshold, MIN_SAMPLES],
  );
}
