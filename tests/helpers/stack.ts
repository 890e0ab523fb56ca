/**
 * Starts the whole Loopdesk stack for end-to-end tests: the real processes from dist/ (npm test builds
 * first), a fresh database on the machine's Postgres, a Temporal dev server, chDB in a temp directory, and
 * free ports. Uses deploy/local/stack.ts, the same code as `npm start`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startOnFreePorts } from '../../deploy/local/free-port';
import { rateLimitEnv } from '../../gateway/config';
import { REPO_ROOT } from './repo-root';
import { RunningStack, StackOptions, startStack } from '../../deploy/local/stack';
import { InternalGraphQLClient } from '../../services/shared/internal-client';
import { SYSTEM_WORKSPACE } from '../../services/shared/request-context';
import { newKeyEncryptionKey } from '../../services/shared/secret-envelope';
import { createThrowawayDatabase } from './database';
import { TestTemporal, startTestTemporal } from './temporal';

/**
 * Tests and benchmarks send many asks from one key and one address: every rate-limit budget far above what
 * they send, with the limiter still on, so its cost stays in every measurement. A test of the limits passes
 * its own small budgets, which win.
 */
const GENEROUS_RATE_LIMITS: Record<string, string> = Object.fromEntries(
  Object.keys(rateLimitEnv)
    .filter((name) => /^RATE_LIMIT_(KEY|CUSTOMER|VISITOR)_/.test(name))
    .map((name) => [name, '1000000000']),
);

/**
 * Tests send bursts of asks that they expect answered, on a machine whose latency swings with whatever else runs:
 * the learned bound on asks in flight (services/shared/latency-limit.ts, unit-tested) would refuse some of them at
 * random. Tests get the fixed MAX_CONCURRENT_ASKS bound; benchmarks of ask cost pass the production default.
 */
const FIXED_ASK_BOUND = { ASK_LATENCY_TOLERANCE: '0' };

export interface TestStack {
  stack: RunningStack;
  gatewayUrl: string;
  hmacSecret: string;
  databaseUrl: string;
  /** The chDB directory the insights process owns (open it here only while that process is stopped). */
  warehousePath: string;
  temporalAddress: string;
  temporal: TestTemporal;
  workspaceId: string;
  adminKey: string;
  /** Creates workspaces (createTestWorkspace); minted like `npm run operator -- create-key` does. */
  operatorKey: string;
  customerTokenSecret: string;
  logs: string[];
  stop(): Promise<void>;
}

/** What a test may set on the stack itself: its restart policy and what happens when it gives up. */
export type TestStackOptions = Pick<StackOptions, 'restart' | 'onGiveUp' | 'readyTimeoutMs'> & {
  /** A server URL (no database name) to create the stack's database on instead of the run's shared one. */
  postgresServerUrl?: string;
  /** Serve the Temporal SDK's own metrics from the worker (WORKER_SDK_METRICS_PORT, drawn with the other ports). */
  workerSdkMetrics?: boolean;
};

/** How a start fails when a port drawn free was taken before its process bound it (startOnFreePorts starts again). */
const PORT_TAKEN = /EADDRINUSE|is not available/;

export async function startTestStack(extraEnv: Record<string, string> = {}, stackOptions: TestStackOptions = {}): Promise<TestStack> {
  const { postgresServerUrl, workerSdkMetrics, ...supervision } = stackOptions;
  const database = await createThrowawayDatabase('loopdesk_e2e', postgresServerUrl);
  const databaseUrl = database.url;
  const temporal = await startTestTemporal();
  const warehouseDir = mkdtempSync(path.join(tmpdir(), 'loopdesk-e2e-warehouse-'));
  const hmacSecret = randomBytes(32).toString('hex');
  const logs: string[] = [];
  const names = ['gateway', 'conversation', 'knowledge', 'account-context', 'insights', 'worker'] as const;
  let stack: RunningStack | undefined;
  const cleanUp = async () => {
    await stack?.stop();
    await temporal.stop();
    rmSync(warehouseDir, { recursive: true, force: true });
    await database.drop();
  };
  // One draw for all of them (separately drawn sets could share a port); startStack stops what it started when it fails.
  const start = (free: number[]) => {
    const ports = Object.fromEntries(names.map((name, i) => [name, free[i]!]));
    const metricsPorts = Object.fromEntries(names.map((name, i) => [name, free[names.length + i]!]));
    const sdkMetrics: Record<string, string> = workerSdkMetrics ? { WORKER_SDK_METRICS_PORT: String(free[names.length * 2]) } : {};
    return startStack({
      repoRoot: REPO_ROOT,
      databaseUrl,
      temporalAddress: temporal.address,
      warehouse: { path: path.join(warehouseDir, 'warehouse') },
      hmacSecret,
      secretsEncryptionKeys: newKeyEncryptionKey('e2e'),
      ports,
      metricsPorts,
      logLevel: 'warn',
      onLog: (name, line) => {
        // Errors and warnings reach the test output, so a masked INTERNAL_SERVER_ERROR can be diagnosed.
        if (/"level":(40|50|60)/.test(line)) process.stderr.write(`[${name}] ${line}\n`);
        logs.push(line);
        if (logs.length > 2_000) logs.shift();
      },
      extraEnv: { AUTH_CACHE_TTL_MS: '0', RELAY_INTERVAL_MS: '100', ...GENEROUS_RATE_LIMITS, ...FIXED_ASK_BOUND, ...sdkMetrics, ...extraEnv },
      ...supervision,
    });
  };
  try {
    stack = await startOnFreePorts(names.length * 2 + (workerSdkMetrics ? 1 : 0), start, { retryIf: (error) => PORT_TAKEN.test(String((error as Error).message)) });
    const accountContext = new InternalGraphQLClient(stack.urls['account-context'], hmacSecret);
    const created = await accountContext.request<{ bootstrapWorkspace: { workspace: { id: string }; adminKey: string; customerTokenSecret: string } | null }>(
      'mutation { bootstrapWorkspace(name: "E2E workspace") { workspace { id } adminKey customerTokenSecret } }',
      {},
      { workspaceId: SYSTEM_WORKSPACE, role: 'system', subject: 'test:e2e' },
    );
    if (!created.bootstrapWorkspace) throw new Error('a fresh database already had a workspace');
    const operator = await accountContext.request<{ createOperatorKey: { secret: string } }>(
      'mutation { createOperatorKey(label: "e2e operator") { secret } }',
      {},
      { workspaceId: SYSTEM_WORKSPACE, role: 'system', subject: 'test:e2e' },
    );
    return {
      stack,
      gatewayUrl: stack.gatewayUrl,
      hmacSecret,
      databaseUrl,
      warehousePath: path.join(warehouseDir, 'warehouse'),
      temporalAddress: temporal.address,
      temporal,
      workspaceId: created.bootstrapWorkspace.workspace.id,
      adminKey: created.bootstrapWorkspace.adminKey,
      operatorKey: operator.createOperatorKey.secret,
      customerTokenSecret: created.bootstrapWorkspace.customerTokenSecret,
      logs,
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  }
}

/**
 * The stack for one test file: started before its tests, stopped after them. beforeAll fills the object in, so
 * read it inside tests and hooks (a file's own beforeAll registered after this call already sees it started).
 */
export function useTestStack(): TestStack {
  const env = {} as TestStack;
  beforeAll(async () => {
    Object.assign(env, await startTestStack());
  });
  afterAll(async () => {
    await env.stop?.();
  });
  return env;
}

export interface GatewayReplica {
  url: string;
  stop(): Promise<void>;
}

/**
 * One more gateway process on the running stack, as a second replica behind a load balancer would be: same
 * subgraphs and secret, its own port and its own verdict cache (extraEnv tunes it, e.g. AUTH_CACHE_TTL_MS).
 */
export async function startGatewayReplica(env: TestStack, extraEnv: Record<string, string> = {}): Promise<GatewayReplica> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'gateway', 'index.js')], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
      INTERNAL_HMAC_SECRET: env.hmacSecret,
      CONVERSATION_URL: env.stack.urls.conversation,
      KNOWLEDGE_URL: env.stack.urls.knowledge,
      ACCOUNT_CONTEXT_URL: env.stack.urls['account-context'],
      INSIGHTS_URL: env.stack.urls.insights,
      SUPERGRAPH_PATH: path.join(REPO_ROOT, 'schema', 'supergraph.graphql'),
      APOLLO_TELEMETRY_DISABLED: '1',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok, () => false);
    if (ready) return { url: `http://127.0.0.1:${port}/graphql`, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the gateway replica on port ${port} did not become ready`);
    }
    await sleep(150);
  }
}
