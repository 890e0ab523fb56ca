/** Jest global setup: one PostgreSQL server for the whole run (see test-postgres.ts). */
import { startThrowawayPostgres, type RunningPostgres } from './test-postgres';

declare global {
  // Shared with global-teardown.ts: Jest runs both in its parent process.
  var loopdeskTestPostgres: RunningPostgres | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_POSTGRES_URL) return;
  const postgres = await startThrowawayPostgres();
  globalThis.loopdeskTestPostgres = postgres;
  // Test files (and the stacks they start) read it from the environment.
  process.env.TEST_POSTGRES_URL = postgres.serverUrl;
}
