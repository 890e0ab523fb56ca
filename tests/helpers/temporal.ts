/**
 * A real Temporal server for tests: `temporal server start-dev`, headless, on free ports, with its SQLite
 * state in a temporary directory that stop() removes. Each test file gets its own (start-up takes well
 * under a second), so files stay independent and can run in parallel.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startOnFreePorts } from '../../deploy/local/free-port';
import { REPO_ROOT } from './repo-root';
import { resolveTemporalCli, startTemporalDevServer } from '../../deploy/local/temporal-cli';

export interface TestTemporal {
  /** host:port of the frontend, namespace "default". */
  address: string;
  /** Stops the server, keeping its data and port, to test what happens while Temporal is down. */
  outage(): Promise<void>;
  /** Kills the server with SIGKILL (no shutdown at all) and waits until it is gone; recover() starts it again. */
  crash(): Promise<void>;
  /** Starts it again on the same port and data. */
  recover(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps the SDK's worker lifecycle chatter (bundle built, state changes) out of test output; warnings and
 * errors still show. Call before creating any worker or NativeConnection in the test file.
 */
export function quietTemporalRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed for this module registry: keep whatever is there.
  }
}

export async function startTestTemporal(): Promise<TestTemporal> {
  const binary = resolveTemporalCli(REPO_ROOT, process.env);
  if (!binary) {
    throw new Error(
      'No Temporal CLI found (TEMPORAL_CLI_PATH, `temporal` on PATH, or .tools/temporal). ' +
        'Run `npm run tools:temporal` once to build it (needs Go >= 1.23).',
    );
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loopdesk-temporal-'));
  // A port drawn free can be taken before the server binds it: startOnFreePorts draws new ones and starts again.
  try {
    return await startOnFreePorts(2, async ([port, uiPort], attempt): Promise<TestTemporal> => {
      const options = { binary, dbFile: path.join(dataDir, `temporal-${attempt}.db`), port: port!, uiPort: uiPort!, headless: true };
      let server = await startTemporalDevServer(options);
      let down = false;
      return {
        address: server.address,
        async outage() {
          await server.stop();
          down = true;
        },
        async crash() {
          if (server.pid) process.kill(server.pid, 'SIGKILL');
          await server.stop();
          down = true;
        },
        async recover() {
          server = await startTemporalDevServer(options);
          down = false;
        },
        async stop() {
          if (!down) await server.stop();
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
