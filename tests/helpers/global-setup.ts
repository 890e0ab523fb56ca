/**
 * Jest global setup: one PostgreSQL server for the whole run (see test-postgres.ts), and the word-vector cache
 * built before the workers start, so they do not each build it.
 */
import { wordVectors } from '../../services/knowledge/intent/word-vectors';
import { startThrowawayPostgres, type RunningPostgres } from './test-postgres';

declare global {
  // Shared with global-teardown.ts: Jest runs both in its parent process.
  var loopdeskTestPostgres: RunningPostgres | undefined;
}

export default async function globalSetup(): Promise<void> {
  wordVectors((message) => process.stderr.write(`${message}\n`));
  if (process.env.TEST_POSTGRES_URL) return;
  const postgres = await startThrowawayPostgres();
  globalThis.loopdeskTestPostgres = postgres;
  // Test files (and the stacks they start) read it from the environment.
  process.env.TEST_POSTGRES_URL = postgres.serverUrl;
}
