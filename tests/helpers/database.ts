/** Throwaway databases on the test Postgres server (test-postgres.ts), one per test file. */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ensureTestPostgres } from './test-postgres';

async function withAdminClient<T>(serverUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface ThrowawayDatabase {
  url: string;
  drop(): Promise<void>;
}

/** On the run's test server, or on `serverUrl` (a server URL without a database name) when given. */
export async function createThrowawayDatabase(prefix: string, serverUrl?: string): Promise<ThrowawayDatabase> {
  const server = serverUrl ?? (await ensureTestPostgres());
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await withAdminClient(server, (client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: `${server}/${name}`,
    drop: () => withAdminClient(server, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export interface ThrowawayDataSource {
  db: DataSource;
  url: string;
}

/**
 * A service's schema on a throwaway database of its own, for an integration test file: `open` (the service's own
 * opener, which migrates) runs before its tests; the data source is closed and the database dropped after them.
 * Read `db` and `url` inside tests (they are set once beforeAll has run).
 */
export function useThrowawayDataSource(prefix: string, open: (url: string) => Promise<DataSource>): ThrowawayDataSource {
  const under = {} as ThrowawayDataSource;
  let database: ThrowawayDatabase | undefined;
  beforeAll(async () => {
    database = await createThrowawayDatabase(prefix);
    under.url = database.url;
    under.db = await open(database.url);
  });
  afterAll(async () => {
    await under.db?.destroy();
    await database?.drop();
  });
  return under;
}
