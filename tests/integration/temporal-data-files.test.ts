/**
 * The embedded Temporal dev server keeps workflow inputs (customer text) in SQLite: the files it creates are
 * private (0600) like the secret files, whatever the caller's umask, and a file an older install left 0644 is
 * made private on the next start.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePorts } from '../../deploy/local/free-port';
import { sqliteFiles } from '../../deploy/local/private-paths';
import { TemporalDevServer, resolveTemporalCli, startTemporalDevServer } from '../../deploy/local/temporal-cli';
import { REPO_ROOT } from '../helpers/repo-root';

jest.setTimeout(90_000);

const modeOf = (file: string) => statSync(file).mode & 0o777;

let dir: string;
let server: TemporalDevServer | undefined;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'loopdesk-temporal-files-'));
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function start(dbFile: string): Promise<TemporalDevServer> {
  const binary = resolveTemporalCli(REPO_ROOT, process.env);
  if (!binary) throw new Error('No Temporal CLI found (TEMPORAL_CLI_PATH, PATH or .tools/temporal)');
  // Two distinct ports: two separate asks can get the same one back (the kernel reuses a port just released), and a
  // dev server given the same port twice exits on start (a CI run saw it).
  const [port, uiPort] = await freePorts(2);
  return startTemporalDevServer({ binary, dbFile, port: port!, uiPort: uiPort!, headless: true });
}

it('the SQLite file and its companions are created 0600, and a 0644 file is fixed on the next start', async () => {
  const dbFile = path.join(dir, 'temporal.sqlite');
  const previousUmask = process.umask(0o022);
  try {
    server = await start(dbFile);
  } finally {
    process.umask(previousUmask);
  }
  const created = sqliteFiles(dbFile).filter((file) => existsSync(file));
  expect(created).toContain(dbFile);
  for (const file of created) expect([file, modeOf(file)]).toEqual([file, 0o600]);

  await server.stop();
  server = undefined;
  chmodSync(dbFile, 0o644);
  server = await start(dbFile);
  expect(modeOf(dbFile)).toBe(0o600);
});
