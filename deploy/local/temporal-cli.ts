/**
 * The embedded workflow engine: finds the Temporal CLI (built by deploy/local/install-temporal-cli.sh) and runs
 * `temporal server start-dev` as a child process with its state in a SQLite file, for `npm start` and tests.
 * Production points TEMPORAL_ADDRESS at a real cluster instead and never gets here.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import type { Logger } from '../../services/shared/logger';
import { restrictExistingFiles, sqliteFiles } from './private-paths';

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Same order as install-temporal-cli.sh, without building: $TEMPORAL_CLI_PATH, `temporal` on PATH,
 * `<repoRoot>/.tools/temporal`. Returns undefined when none is there.
 */
export function resolveTemporalCli(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit && isExecutable(explicit)) return explicit;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  const cached = path.join(repoRoot, '.tools', 'temporal');
  return isExecutable(cached) ? cached : undefined;
}

export interface TemporalDevServerOptions {
  binary: string;
  /** SQLite file holding the server's state; survives restarts. */
  dbFile: string;
  port: number;
  uiPort: number;
  /** Skip the Web UI (tests); `npm start` keeps it and prints its URL. */
  headless?: boolean;
  logger?: Logger;
}

export interface TemporalDevServer {
  /** host:port of the frontend gRPC service, for TEMPORAL_ADDRESS. */
  address: string;
  /** Undefined when headless. */
  uiUrl: string | undefined;
  /** The server process (the shell that launches it execs into it), for fault injection. */
  pid: number | undefined;
  /** SIGTERM, then SIGKILL if the server has not exited within 10 s. */
  stop(): Promise<void>;
}

const LEVELS: Record<string, 'debug' | 'info' | 'warn' | 'error'> = { DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const host = '127.0.0.1';
  const address = `${host}:${options.port}`;
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    options.dbFile,
    '--ip',
    host,
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--log-level',
    'warn',
    '--log-format',
    'json',
    // The dev server's SQLite default is a rollback journal synced on every commit: it writes one transaction at
    // a time, so a burst of hand-offs queued behind fsyncs (measured on this machine: 22 signalWithStart/s at 16
    // in flight, 95/s with these, at less than half the CPU per start). A write-ahead log synced at checkpoints
    // keeps every commit across a crash of the server (kill -9); only a machine crash can lose the last ones.
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
  ];
  if (options.headless) args.push('--headless');

  const started = Date.now();
  // The SQLite file, its WAL and shared-memory files hold workflow inputs (customer text): created 0600 via
  // the umask the server inherits (Node cannot set a child's umask, hence the shell), fixed if older.
  await restrictExistingFiles(sqliteFiles(options.dbFile));
  const child = spawn('/bin/sh', ['-c', 'umask 077 && exec "$0" "$@"', options.binary, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const recentOutput: string[] = [];
  let stopping = false;
  const forward = (line: string) => {
    if (!line.trim()) return;
    recentOutput.push(line);
    if (recentOutput.length > 20) recentOutput.shift();
    if (!options.logger) return;
    // The server complains about every poller it cuts off while shutting down; that is expected noise.
    let level: 'debug' | 'info' | 'warn' | 'error' = 'info';
    let entry: Record<string, unknown> = { output: line };
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      level = LEVELS[String(parsed.level)] ?? 'info';
      entry = parsed;
    } catch {
      // Plain text banner lines ("Server: ...", "Stopping server...").
    }
    options.logger[stopping ? 'debug' : level]({ temporal: entry }, 'temporal dev server');
  };
  createInterface({ input: child.stdout! }).on('line', forward);
  createInterface({ input: child.stderr! }).on('line', forward);

  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      // Spawn failures (ENOENT, EACCES) arrive here instead of as an exit.
      recentOutput.push(String(error));
      resolve();
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  // Never leave an orphaned server behind when the parent goes away without calling stop().
  const killOnExit = () => {
    if (!hasExited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (hasExited) return;
    stopping = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilServing(address, child, () => hasExited, recentOutput);
  } catch (error) {
    await stop();
    throw error;
  }
  options.logger?.info({ address, ms: Date.now() - started }, 'temporal dev server ready');
  return { address, uiUrl: options.headless ? undefined : `http://${host}:${options.uiPort}`, pid: child.pid, stop };
}

/** The frontend answers and the default namespace (created at launch) is registered. */
async function waitUntilServing(address: string, child: ChildProcess, hasExited: () => boolean, recentOutput: string[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited()) {
      throw new Error(`temporal server start-dev exited (code ${child.exitCode}) before serving on ${address}:\n${recentOutput.join('\n')}`);
    }
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: '2s' });
      await connection.workflowService.describeNamespace({ namespace: 'default' });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await connection?.close();
    }
  }
  throw new Error(`temporal server start-dev did not answer on ${address} within ${READY_TIMEOUT_MS / 1000}s: ${String(lastError)}\n${recentOutput.join('\n')}`);
}
