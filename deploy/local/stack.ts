/**
 * Starts and stops the whole Loopdesk stack: the four subgraphs, the Temporal worker and the gateway, each a
 * child process running from compiled dist/. The one place that knows the start order and how the processes
 * are wired together; `npm start` (deploy/local/start.ts) and the end-to-end tests both use it.
 *
 * Order: account-context + knowledge → conversation + insights → worker → gateway, each step once every
 * process in it answers 200 on /ready. Stopping runs the steps backwards.
 *
 * Once the stack is up, a child that dies on its own (a crash, an OOM kill, kill -9) is started again after a
 * backoff and waited on until its /ready answers, as at start-up. A process that keeps dying (more than
 * `maxRestarts` within `windowMs`) is left down and reported through onGiveUp: restarting it again would only
 * hide the cause. Kubernetes does the same in production (restartPolicy + CrashLoopBackOff).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_METRICS_PORTS, DEFAULT_PORTS, ProcessName } from '../../services/shared/config';

export type StackProcessName = ProcessName;

export type WarehouseOptions = { path: string } | { url: string; user?: string; password?: string; database?: string };

export interface StackOptions {
  repoRoot: string;
  databaseUrl: string;
  /** host:port of the Temporal frontend. */
  temporalAddress: string;
  temporalNamespace?: string;
  temporalTaskQueue?: string;
  /** chDB data directory (owned by the insights process) or a ClickHouse server. */
  warehouse: WarehouseOptions;
  hmacSecret: string;
  /** SECRETS_ENCRYPTION_KEYS for account-context: `kid:base64key[,…]`, current first. */
  secretsEncryptionKeys: string;
  /** Defaults to DEFAULT_PORTS; tests pass free ports. */
  ports?: Partial<Record<StackProcessName, number>>;
  /** Where each process serves /metrics. Defaults to DEFAULT_METRICS_PORTS; tests pass free ports. */
  metricsPorts?: Partial<Record<StackProcessName, number>>;
  logLevel?: string;
  /** Every line a child writes on stdout or stderr. Default: written to process.stdout, prefixed by the name. */
  onLog?: (processName: StackProcessName, line: string) => void;
  /** Added to every child's environment last (tuning knobs such as RELAY_INTERVAL_MS). */
  extraEnv?: Record<string, string>;
  /** Aborting stops whatever has started and makes startStack reject. */
  signal?: AbortSignal;
  /** How long each process may take to answer /ready (default 60 s). */
  readyTimeoutMs?: number;
  /** How crashed children are restarted once the stack is up; `false` leaves them down. */
  restart?: Partial<RestartPolicy> | false;
  /** A child crashed too often within the window and is left down; `message` says which, how often and its last lines. */
  onGiveUp?: (processName: StackProcessName, message: string) => void;
}

export interface RestartPolicy {
  /** Restarts allowed within `windowMs`; one more crash in the window gives up. */
  maxRestarts: number;
  windowMs: number;
  /** Wait before the first restart; doubled for each further crash within the window, up to maxBackoffMs. */
  initialBackoffMs: number;
  maxBackoffMs: number;
}

const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 5, windowMs: 60_000, initialBackoffMs: 250, maxBackoffMs: 8_000 };

export interface RunningStack {
  /** The gateway's GraphQL endpoint. */
  gatewayUrl: string;
  /** Each process's GraphQL endpoint; the worker serves none, so its entry is its HTTP base URL (/health, /ready). */
  urls: Record<StackProcessName, string>;
  ports: Record<StackProcessName, number>;
  /** Each process's Prometheus endpoint, on its metrics port (never the API port). */
  metricsUrls: Record<StackProcessName, string>;
  /** The live child of each process (the latest one, after a restart). */
  processes: Map<StackProcessName, ChildProcess>;
  /** SIGTERM, wait for the exit, SIGKILL after 10 s. A process that has already exited is fine. */
  stopProcess(name: StackProcessName): Promise<void>;
  /** Starts a process that is not running (stopped or died) and waits for its /ready; joins an automatic restart under way. */
  startProcess(name: StackProcessName): Promise<void>;
  /** Automatic restarts so far, per process. */
  restarts: Record<StackProcessName, number>;
  /** Stops every process, in reverse start order. */
  stop(): Promise<void>;
}

const ENTRY_POINTS: Record<StackProcessName, string> = {
  'account-context': 'dist/services/account-context/index.js',
  knowledge: 'dist/services/knowledge/index.js',
  conversation: 'dist/services/conversation/index.js',
  insights: 'dist/services/insights/index.js',
  worker: 'dist/workflows/worker.js',
  gateway: 'dist/gateway/index.js',
};

const START_ORDER: StackProcessName[][] = [['account-context', 'knowledge'], ['conversation', 'insights'], ['worker'], ['gateway']];

const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 150;
const STOP_GRACE_MS = 10_000;
const RECENT_LINES = 30;
const HOST = '127.0.0.1';

/**
 * Variables that wire the processes together. Inherited values are dropped before the stack sets its own, so a
 * stray DATABASE_URL or PORT in the parent's environment cannot reach a child. Tuning knobs (MAX_QUERY_DEPTH,
 * OPENAI_API_KEY, …) pass through from the parent.
 */
const WIRING_VARIABLES = [
  'PORT',
  'METRICS_PORT',
  'LOG_LEVEL',
  'INTERNAL_HMAC_SECRET',
  'INTERNAL_HMAC_SECRET_PREVIOUS',
  'SECRETS_ENCRYPTION_KEYS',
  'DATABASE_URL',
  'CONVERSATION_URL',
  'KNOWLEDGE_URL',
  'ACCOUNT_CONTEXT_URL',
  'INSIGHTS_URL',
  'SUPERGRAPH_PATH',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_TASK_QUEUE',
  'WAREHOUSE_PATH',
  'CLICKHOUSE_URL',
  'CLICKHOUSE_USER',
  'CLICKHOUSE_PASSWORD',
  'CLICKHOUSE_DATABASE',
  'APOLLO_TELEMETRY_DISABLED',
];

/** Which processes get which part of the wiring. Peer URLs and Temporal go to all: any may call a peer or start a workflow. */
const USES_DATABASE = new Set<StackProcessName>(['account-context', 'knowledge', 'conversation', 'insights']);
// chDB binds its data directory to one process: the insights service, which also runs the relay.
const USES_WAREHOUSE = new Set<StackProcessName>(['insights']);

const graphqlUrl = (port: number) => `http://${HOST}:${port}/graphql`;

function childEnvironment(name: StackProcessName, options: StackOptions, ports: Record<StackProcessName, number>, metricsPorts: Record<StackProcessName, number>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const variable of WIRING_VARIABLES) delete env[variable];
  const wiring: Record<string, string | undefined> = {
    PORT: String(ports[name]),
    METRICS_PORT: String(metricsPorts[name]),
    LOG_LEVEL: options.logLevel ?? 'info',
    INTERNAL_HMAC_SECRET: options.hmacSecret,
    APOLLO_TELEMETRY_DISABLED: '1',
    CONVERSATION_URL: graphqlUrl(ports.conversation),
    KNOWLEDGE_URL: graphqlUrl(ports.knowledge),
    ACCOUNT_CONTEXT_URL: graphqlUrl(ports['account-context']),
    INSIGHTS_URL: graphqlUrl(ports.insights),
    TEMPORAL_ADDRESS: options.temporalAddress,
    TEMPORAL_NAMESPACE: options.temporalNamespace ?? 'default',
    TEMPORAL_TASK_QUEUE: options.temporalTaskQueue ?? 'loopdesk',
  };
  if (USES_DATABASE.has(name)) wiring.DATABASE_URL = options.databaseUrl;
  if (name === 'account-context') wiring.SECRETS_ENCRYPTION_KEYS = options.secretsEncryptionKeys;
  if (USES_WAREHOUSE.has(name)) {
    if ('path' in options.warehouse) {
      wiring.WAREHOUSE_PATH = path.resolve(options.repoRoot, options.warehouse.path);
    } else {
      wiring.CLICKHOUSE_URL = options.warehouse.url;
      wiring.CLICKHOUSE_USER = options.warehouse.user;
      wiring.CLICKHOUSE_PASSWORD = options.warehouse.password;
      wiring.CLICKHOUSE_DATABASE = options.warehouse.database;
    }
  }
  if (name === 'gateway') wiring.SUPERGRAPH_PATH = path.join(options.repoRoot, 'schema', 'supergraph.graphql');
  for (const [variable, value] of Object.entries(wiring)) if (value !== undefined) env[variable] = value;
  return { ...env, ...options.extraEnv };
}

/** A port someone else already listens on would make a stale process answer our /ready probes. */
function assertPortFree(name: StackProcessName, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(new Error(`Port ${port} for ${name} is not available (${error.code}): is a previous Loopdesk still running?`)),
    );
    probe.listen(port, HOST, () => probe.close(() => resolve()));
  });
}

const isRunning = (child: ChildProcess | undefined): boolean => !!child && child.exitCode === null && child.signalCode === null;

function defaultOnLog(name: StackProcessName, line: string): void {
  process.stdout.write(`${name.padEnd(15)} | ${line}\n`);
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const ports = { ...DEFAULT_PORTS, ...options.ports } as Record<StackProcessName, number>;
  const metricsPorts = { ...DEFAULT_METRICS_PORTS, ...options.metricsPorts } as Record<StackProcessName, number>;
  const taken = [...Object.values(ports), ...Object.values(metricsPorts)].filter((port) => port > 0);
  const shared = taken.filter((port, i) => taken.indexOf(port) !== i);
  if (shared.length > 0) throw new Error(`Each process needs its own port and metrics port; given more than once: ${[...new Set(shared)].join(', ')}`);
  const onLog = options.onLog ?? defaultOnLog;
  const processes = new Map<StackProcessName, ChildProcess>();
  const recentLines = new Map<StackProcessName, string[]>();
  const stopping = new Set<ChildProcess>();

  const entryPoint = (name: StackProcessName) => path.join(options.repoRoot, ENTRY_POINTS[name]);
  const missing = START_ORDER.flat().filter((name) => !existsSync(entryPoint(name)));
  if (missing.length > 0) {
    const list = missing.map((name) => `  ${name}: ${entryPoint(name)}`).join('\n');
    throw new Error(`Cannot start the stack, compiled entry points are missing (run \`npm run build\`):\n${list}`);
  }

  await Promise.all(START_ORDER.flat().flatMap((name) => [assertPortFree(name, ports[name]), assertPortFree(name, metricsPorts[name])]));

  // Never leave children behind when this process exits without calling stop().
  const killOnExit = () => {
    for (const child of processes.values()) if (isRunning(child)) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const recent = (name: StackProcessName) => (recentLines.get(name) ?? []).join('\n');

  function spawnProcess(name: StackProcessName): ChildProcess {
    const child = spawn(process.execPath, [entryPoint(name)], {
      cwd: options.repoRoot,
      env: childEnvironment(name, options, ports, metricsPorts),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    recentLines.set(name, lines);
    const forward = (line: string) => {
      lines.push(line);
      if (lines.length > RECENT_LINES) lines.shift();
      onLog(name, line);
    };
    createInterface({ input: child.stdout! }).on('line', forward);
    createInterface({ input: child.stderr! }).on('line', forward);
    child.on('error', (error) => forward(`[stack] could not run ${name}: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (stopping.has(child)) return;
      onLog(name, `[stack] ${name} exited unexpectedly (code ${code}, signal ${signal})`);
      if (up && !stopped && processes.get(name) === child) scheduleRestart(name);
    });
    processes.set(name, child);
    return child;
  }

  async function waitUntilReady(name: StackProcessName, child: ChildProcess): Promise<void> {
    const readyUrl = `http://${HOST}:${ports[name]}/ready`;
    const readyTimeoutMs = options.readyTimeoutMs ?? READY_TIMEOUT_MS;
    const deadline = Date.now() + readyTimeoutMs;
    let lastAnswer = 'no answer yet';
    for (;;) {
      if (options.signal?.aborted || halt.signal.aborted) throw new Error(`Start of ${name} aborted`);
      if (!isRunning(child)) {
        throw new Error(`${name} exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready. Its last lines:\n${recent(name)}`);
      }
      try {
        const response = await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) });
        if (response.status === 200) return;
        lastAnswer = `HTTP ${response.status} ${await response.text()}`;
      } catch (error) {
        lastAnswer = (error as Error).message;
      }
      if (Date.now() > deadline) {
        throw new Error(`${name} was not ready within ${readyTimeoutMs / 1000} s (${readyUrl}: ${lastAnswer}). Its last lines:\n${recent(name)}`);
      }
      await sleep(READY_POLL_MS);
    }
  }

  const policy: RestartPolicy | undefined = options.restart === false ? undefined : { ...DEFAULT_RESTART_POLICY, ...options.restart };
  const restarting = new Map<StackProcessName, Promise<void>>();
  // Aborted by stop(): a restart waiting out its backoff gives up at once.
  const halt = new AbortController();
  const crashes = new Map<StackProcessName, number[]>();
  const restarts = Object.fromEntries(START_ORDER.flat().map((name) => [name, 0])) as Record<StackProcessName, number>;
  // Restarts begin once the whole stack has started; a crash during start-up fails the start instead.
  let up = false;

  function scheduleRestart(name: StackProcessName): void {
    if (!policy) return;
    const now = Date.now();
    const recentCrashes = [...(crashes.get(name) ?? []).filter((at) => now - at < policy.windowMs), now];
    crashes.set(name, recentCrashes);
    if (recentCrashes.length > policy.maxRestarts) {
      const message =
        `${name} crashed ${recentCrashes.length} times within ${Math.round(policy.windowMs / 1000)} s; it is left down. ` +
        `Fix the cause (its last lines are below) and start Loopdesk again.\n${recent(name)}`;
      onLog(name, `[stack] ${message}`);
      options.onGiveUp?.(name, message);
      return;
    }
    const backoffMs = Math.min(policy.initialBackoffMs * 2 ** (recentCrashes.length - 1), policy.maxBackoffMs);
    onLog(name, `[stack] restarting ${name} in ${backoffMs} ms (crash ${recentCrashes.length} of at most ${policy.maxRestarts + 1} within ${Math.round(policy.windowMs / 1000)} s)`);
    // A crash while an earlier restart still waits for /ready: that restart fails, and this one follows it.
    const previous = restarting.get(name) ?? Promise.resolve();
    const restart: Promise<void> = previous.then(async () => {
      const waited = await sleep(backoffMs, true, { signal: halt.signal }).catch(() => false);
      if (!waited || stopped) return;
      const child = spawnProcess(name);
      restarts[name] += 1;
      try {
        await waitUntilReady(name, child);
        onLog(name, `[stack] ${name} is back and ready`);
      } catch (error) {
        // Not ready in time: end it, so that its exit counts as one more crash and is retried (or given up).
        onLog(name, `[stack] ${(error as Error).message.split('\n')[0]}`);
        if (isRunning(child)) child.kill('SIGKILL');
      }
    }).finally(() => {
      if (restarting.get(name) === restart) restarting.delete(name);
    });
    restarting.set(name, restart);
  }

  async function startProcess(name: StackProcessName): Promise<void> {
    const underWay = restarting.get(name);
    if (underWay) {
      await underWay;
      if (isRunning(processes.get(name))) return;
    }
    if (isRunning(processes.get(name))) throw new Error(`${name} is already running; stopProcess('${name}') first`);
    await assertPortFree(name, ports[name]);
    await assertPortFree(name, metricsPorts[name]);
    // A sibling that failed while this one checked its port has already stopped the stack.
    if (stopped) throw new Error(`The stack is stopped; ${name} was not started`);
    await waitUntilReady(name, spawnProcess(name));
  }

  async function stopProcess(name: StackProcessName): Promise<void> {
    // A restart under way finishes first, so that the child it starts is the one stopped.
    await restarting.get(name);
    const child = processes.get(name);
    if (!child) return;
    stopping.add(child);
    if (isRunning(child)) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    processes.delete(name);
  }

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      halt.abort();
      for (const step of [...START_ORDER].reverse()) await Promise.all(step.map(stopProcess));
      process.removeListener('exit', killOnExit);
    })());

  try {
    for (const step of START_ORDER) await Promise.all(step.map(startProcess));
  } catch (error) {
    await stop();
    throw error;
  }
  up = true;

  const urls = Object.fromEntries(
    (Object.keys(ENTRY_POINTS) as StackProcessName[]).map((name) => [name, name === 'worker' ? `http://${HOST}:${ports.worker}` : graphqlUrl(ports[name])]),
  ) as Record<StackProcessName, string>;
  const metricsUrls = Object.fromEntries(
    (Object.keys(ENTRY_POINTS) as StackProcessName[]).map((name) => [name, `http://${HOST}:${metricsPorts[name]}/metrics`]),
  ) as Record<StackProcessName, string>;
  return { gatewayUrl: urls.gateway, urls, ports, metricsUrls, processes, stopProcess, startProcess, restarts, stop };
}
