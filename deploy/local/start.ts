/**
 * `npm start`: the whole of Loopdesk on one machine. Uses what the environment points at (DATABASE_URL,
 * TEMPORAL_ADDRESS, CLICKHOUSE_URL) and starts the embedded default for the rest, with all state under
 * DATA_DIR (default .data) so a second start finds everything where the first left it:
 *
 *   config → internal secret, secrets encryption key → Postgres → Temporal → stack (deploy/local/stack.ts)
 *   → first workspace → ready
 *
 * A service, the worker or the gateway that crashes is restarted by the stack with backoff; one that keeps
 * crashing stops everything with a message saying which and why.
 *
 * Ctrl-C or SIGTERM stops it in reverse. To keep that order, the supervisor runs in its own process group:
 * this file first re-launches itself detached and forwards signals, because a terminal's Ctrl-C goes to the
 * whole foreground group and would otherwise hit Postgres and Temporal while the services still use them.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { commonEnv, databaseEnv, parseConfig, secretsEnv, temporalEnv, warehouseEnv } from '../../services/shared/config';
import { InternalGraphQLClient } from '../../services/shared/internal-client';
import { Logger, createLogger } from '../../services/shared/logger';
import { SYSTEM_WORKSPACE } from '../../services/shared/request-context';
import { newKeyEncryptionKey, parseKeyEncryptionKeys } from '../../services/shared/secret-envelope';
import { startEmbeddedPostgres } from './embedded-postgres';
import { ensurePrivateDir, writePrivateFile } from './private-paths';
import { describeDemo, seedDemo } from './demo/seed-demo';
import { WarehouseOptions, startStack } from './stack';
import { resolveTemporalCli, startTemporalDevServer } from './temporal-cli';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const SUPERVISOR_FLAG = '--supervisor';
/** `npm start -- --demo`: also seed the demo workspace and print curl commands (deploy/local/demo/seed-demo.ts). */
const DEMO_FLAG = '--demo';
const EMBEDDED_POSTGRES_PORT = 5488;
const TEMPORAL_PORT = 7233;
const TEMPORAL_UI_PORT = 8233;
const WORKSPACE_NAME = 'Local workspace';

const startEnv = {
  LOG_LEVEL: commonEnv.LOG_LEVEL,
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: databaseEnv.DATABASE_URL.optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: temporalEnv.TEMPORAL_NAMESPACE,
  TEMPORAL_TASK_QUEUE: temporalEnv.TEMPORAL_TASK_QUEUE,
  CLICKHOUSE_URL: warehouseEnv.CLICKHOUSE_URL,
  CLICKHOUSE_USER: warehouseEnv.CLICKHOUSE_USER,
  CLICKHOUSE_PASSWORD: warehouseEnv.CLICKHOUSE_PASSWORD,
  CLICKHOUSE_DATABASE: warehouseEnv.CLICKHOUSE_DATABASE,
  WAREHOUSE_PATH: z.string().min(1).optional(),
  INTERNAL_HMAC_SECRET: commonEnv.INTERNAL_HMAC_SECRET.optional(),
  SECRETS_ENCRYPTION_KEYS: secretsEnv.SECRETS_ENCRYPTION_KEYS.optional(),
};

type StartConfig = Readonly<z.infer<z.ZodObject<typeof startEnv>>>;

const BOOTSTRAP = `mutation Bootstrap($name: String!) {
  bootstrapWorkspace(name: $name) { workspace { id name } adminKey customerTokenSecret }
}`;

interface Bootstrapped {
  bootstrapWorkspace: { workspace: { id: string; name: string }; adminKey: string; customerTokenSecret: string } | null;
}

/**
 * Undo steps registered as the start-up sequence goes; run backwards on Ctrl-C, SIGTERM or a failed start.
 * A stop requested during start-up aborts the sequence first (the `signal`), so the undo list is complete.
 */
class Shutdown {
  private readonly steps: Array<{ name: string; run: () => Promise<void> }> = [];
  private running: Promise<void> | undefined;
  private readonly controller = new AbortController();

  constructor(private readonly logger: Logger) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get requested(): boolean {
    return this.controller.signal.aborted;
  }

  request(): void {
    this.controller.abort();
  }

  onShutdown(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  /** Ends the start-up sequence if a stop was requested while its last step ran. */
  checkpoint(): void {
    if (this.requested) throw new ShutdownRequested();
  }

  run(): Promise<void> {
    this.request();
    return (this.running ??= (async () => {
      for (const step of [...this.steps].reverse()) {
        this.logger.info(`stopping ${step.name}`);
        try {
          await step.run();
        } catch (error) {
          this.logger.error({ err: error }, `stopping ${step.name} failed`);
        }
      }
    })());
  }
}

class ShutdownRequested extends Error {
  constructor() {
    super('stop requested during start-up');
  }
}

/** The secret the processes sign internal requests with: from the environment, else generated once and kept. */
async function internalSecret(config: StartConfig, dataDir: string): Promise<string> {
  if (config.INTERNAL_HMAC_SECRET) return config.INTERNAL_HMAC_SECRET;
  const file = path.join(dataDir, 'internal-secret');
  if (existsSync(file)) {
    const saved = (await readFile(file, 'utf8')).trim();
    if (saved.length < 32) throw new Error(`${file} holds fewer than 32 characters: delete it to have a new secret generated`);
    return saved;
  }
  const secret = randomBytes(32).toString('hex');
  await writePrivateFile(file, secret);
  return secret;
}

/**
 * The key-encryption keys that seal stored secrets: from the environment, else generated once and kept
 * (mode 0600). To rotate locally, put a new `kid:key` first in that file and restart.
 */
async function secretsEncryptionKeys(config: StartConfig, dataDir: string): Promise<string> {
  if (config.SECRETS_ENCRYPTION_KEYS) return config.SECRETS_ENCRYPTION_KEYS;
  const file = path.join(dataDir, 'secrets-encryption-keys');
  if (existsSync(file)) {
    const saved = (await readFile(file, 'utf8')).trim();
    try {
      parseKeyEncryptionKeys(saved);
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
    return saved;
  }
  const keys = newKeyEncryptionKey('local1');
  await writePrivateFile(file, keys);
  return keys;
}

/** Finds the Temporal CLI or builds it once with Go (deploy/local/install-temporal-cli.sh). */
async function temporalCli(logger: Logger, shutdown: Shutdown): Promise<string> {
  const found = resolveTemporalCli(REPO_ROOT);
  if (found) return found;
  logger.info('no Temporal CLI found: building it once into .tools/ with Go (a few minutes the first time)');
  const install = spawn('bash', [path.join(REPO_ROOT, 'deploy', 'local', 'install-temporal-cli.sh')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const cancel = () => install.kill('SIGTERM');
  shutdown.signal.addEventListener('abort', cancel, { once: true });
  let stdout = '';
  install.stdout!.on('data', (chunk) => (stdout += String(chunk)));
  const code = await new Promise<number | null>((resolve) => {
    install.once('error', () => resolve(null));
    install.once('close', resolve);
  });
  shutdown.signal.removeEventListener('abort', cancel);
  shutdown.checkpoint();
  const binary = stdout.trim().split('\n').pop();
  if (code !== 0 || !binary) {
    throw new Error(
      'The embedded workflow engine needs the Temporal CLI, and it could not be built (see the lines above). ' +
        'Install Go >= 1.23 and run `npm start` again (it builds the CLI once into .tools/), ' +
        'or set TEMPORAL_CLI_PATH to a temporal binary, or set TEMPORAL_ADDRESS to a running Temporal server; ' +
        'with internet, `npm run tools:temporal -- --download` fetches the Temporal SDK\'s own build of the CLI.',
    );
  }
  return binary;
}

/** DATABASE_URL, else embedded Postgres in <DATA_DIR>/pg. */
async function relationalStore(config: StartConfig, dataDir: string, logger: Logger): Promise<{ databaseUrl: string; stop?: () => Promise<void> }> {
  if (config.DATABASE_URL) return { databaseUrl: config.DATABASE_URL };
  const pgDir = path.join(dataDir, 'pg');
  const postgres = await startEmbeddedPostgres({
    dataDir: pgDir,
    port: EMBEDDED_POSTGRES_PORT,
    onLog: (line) => logger.debug({ postgres: line }, 'embedded postgres'),
  });
  logger.info({ dataDir: pgDir, port: postgres.port }, 'embedded Postgres ready');
  return postgres;
}

/** TEMPORAL_ADDRESS, else the Temporal dev server with its Web UI and its state in <DATA_DIR>/temporal.sqlite. */
async function workflowEngine(
  config: StartConfig,
  dataDir: string,
  logger: Logger,
  shutdown: Shutdown,
): Promise<{ address: string; uiUrl?: string; stop?: () => Promise<void> }> {
  if (config.TEMPORAL_ADDRESS) return { address: config.TEMPORAL_ADDRESS };
  return startTemporalDevServer({
    binary: await temporalCli(logger, shutdown),
    dbFile: path.join(dataDir, 'temporal.sqlite'),
    port: TEMPORAL_PORT,
    uiPort: TEMPORAL_UI_PORT,
    logger: logger.child({ component: 'temporal' }),
  });
}

async function supervise(): Promise<void> {
  const config = parseConfig(startEnv);
  const logger = createLogger('supervisor', config.LOG_LEVEL);
  const shutdown = new Shutdown(logger);
  let started = false;

  const stopAndExit = async (exitCode: number) => {
    await shutdown.run();
    logger.info('Loopdesk stopped');
    process.exit(exitCode);
  };
  const onStopRequest = (reason: string) => {
    if (shutdown.requested) {
      logger.info(`${reason}: already stopping`);
      return;
    }
    logger.info(`${reason}: stopping Loopdesk`);
    shutdown.request();
    // During start-up the sequence notices the request, unwinds and exits itself.
    if (started) void stopAndExit(0);
  };
  process.on('SIGINT', () => onStopRequest('SIGINT'));
  process.on('SIGTERM', () => onStopRequest('SIGTERM'));
  // The launcher holds the other end of the IPC channel; if it dies, nobody is left to forward a Ctrl-C.
  process.on('disconnect', () => onStopRequest('launcher went away'));
  process.channel?.unref();

  try {
    const dataDir = path.resolve(REPO_ROOT, config.DATA_DIR);
    await mkdir(dataDir, { recursive: true });
    const hmacSecret = await internalSecret(config, dataDir);
    const encryptionKeys = await secretsEncryptionKeys(config, dataDir);

    // Postgres and Temporal do not need each other: start them side by side.
    const [database, temporal] = await Promise.allSettled([
      relationalStore(config, dataDir, logger),
      workflowEngine(config, dataDir, logger, shutdown),
    ]);
    // Registered in this order whichever came up first, so that Temporal stops before Postgres.
    if (database.status === 'fulfilled' && database.value.stop) shutdown.onShutdown('embedded Postgres', database.value.stop);
    if (temporal.status === 'fulfilled' && temporal.value.stop) shutdown.onShutdown('Temporal dev server', temporal.value.stop);
    shutdown.checkpoint();
    if (database.status === 'rejected') throw database.reason;
    if (temporal.status === 'rejected') throw temporal.reason;
    const { databaseUrl } = database.value;
    const { address: temporalAddress, uiUrl: temporalUi } = temporal.value;

    const warehouse: WarehouseOptions = config.CLICKHOUSE_URL
      ? { url: config.CLICKHOUSE_URL, user: config.CLICKHOUSE_USER, password: config.CLICKHOUSE_PASSWORD, database: config.CLICKHOUSE_DATABASE }
      : { path: path.resolve(REPO_ROOT, config.WAREHOUSE_PATH ?? path.join(dataDir, 'warehouse')) };
    // The warehouse holds customers' questions: private like the secret files.
    if ('path' in warehouse) await ensurePrivateDir(warehouse.path);

    const stack = await startStack({
      repoRoot: REPO_ROOT,
      databaseUrl,
      temporalAddress,
      temporalNamespace: config.TEMPORAL_NAMESPACE,
      temporalTaskQueue: config.TEMPORAL_TASK_QUEUE,
      warehouse,
      hmacSecret,
      secretsEncryptionKeys: encryptionKeys,
      logLevel: config.LOG_LEVEL,
      signal: shutdown.signal,
      // A crashed process is restarted with backoff (deploy/local/stack.ts); one that keeps crashing stops Loopdesk
      // with its last lines, rather than leaving a stack that answers some requests and not others.
      onGiveUp: (name, message) => {
        if (shutdown.requested) return;
        logger.fatal({ process: name }, 'a process keeps crashing: stopping Loopdesk');
        process.stderr.write(`\nLoopdesk is stopping: ${message}\n\n`);
        void stopAndExit(1);
      },
    });
    shutdown.onShutdown('Loopdesk processes', stack.stop);
    shutdown.checkpoint();

    const workspaceNote = await bootstrapWorkspace(stack.urls['account-context'], hmacSecret, dataDir);
    shutdown.checkpoint();
    const demoNote = process.argv.includes(DEMO_FLAG)
      ? describeDemo(
          await seedDemo({
            gatewayUrl: stack.gatewayUrl,
            accountContextUrl: stack.urls['account-context'],
            hmacSecret,
            dataDir,
            repoRoot: REPO_ROOT,
            log: (line) => logger.info(line),
          }),
          dataDir,
        )
      : [];
    shutdown.checkpoint();
    started = true;

    const elapsedMs = Math.round(process.uptime() * 1000);
    const temporalLine = temporalUi ? `Temporal UI:  ${temporalUi}` : `Temporal:     ${temporalAddress} (external)`;
    process.stdout.write(
      [
        '',
        `Loopdesk is ready (${elapsedMs} ms)`,
        `  GraphQL:      ${stack.gatewayUrl}`,
        `  Metrics:      ${stack.metricsUrls.gateway} (each process on its own port, 9400-9405)`,
        `  ${temporalLine}`,
        `  Data:         ${dataDir}`,
        ...workspaceNote.map((line) => `  ${line}`),
        '  Ctrl-C stops everything; the data stays for the next start.',
        '',
        ...demoNote,
      ].join('\n') + '\n',
    );
  } catch (error) {
    if (shutdown.requested) {
      await stopAndExit(0);
      return;
    }
    logger.fatal({ err: error }, 'Loopdesk failed to start');
    process.stderr.write(`\nLoopdesk failed to start: ${error instanceof Error ? error.message : String(error)}\n\n`);
    await stopAndExit(1);
  }
}

/** Creates the first workspace of a fresh installation and keeps its secrets; says where they are otherwise. */
async function bootstrapWorkspace(accountContextUrl: string, hmacSecret: string, dataDir: string): Promise<string[]> {
  const client = new InternalGraphQLClient(accountContextUrl, hmacSecret);
  const { bootstrapWorkspace } = await client.request<Bootstrapped>(
    BOOTSTRAP,
    { name: WORKSPACE_NAME },
    { workspaceId: SYSTEM_WORKSPACE, role: 'system', subject: 'service:supervisor' },
  );
  const adminKeyFile = path.join(dataDir, 'admin-key');
  const tokenSecretFile = path.join(dataDir, 'customer-token-secret');
  if (!bootstrapWorkspace) {
    return existsSync(adminKeyFile)
      ? [`Admin key:    in ${adminKeyFile} (send it as "Authorization: Bearer <key>")`]
      : ['Admin key:    a workspace already existed; its admin key was shown when it was created'];
  }
  await writePrivateFile(adminKeyFile, bootstrapWorkspace.adminKey);
  await writePrivateFile(tokenSecretFile, bootstrapWorkspace.customerTokenSecret);
  const { workspace } = bootstrapWorkspace;
  return [
    `Created workspace "${workspace.name}" (${workspace.id}). Its secrets are shown once here and saved (mode 0600):`,
    `  Admin key:              ${bootstrapWorkspace.adminKey}`,
    `                          saved to ${adminKeyFile}; send it as "Authorization: Bearer <key>"`,
    `  Customer token secret:  ${bootstrapWorkspace.customerTokenSecret}`,
    `                          saved to ${tokenSecretFile}; signs end-customer tokens (HS256)`,
    `  More workspaces:        npm run operator -- create-workspace <name> (or create-key, for createWorkspace)`,
  ];
}

/** Runs the supervisor in its own process group and forwards the signals meant for it. */
function launch(): void {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== DEMO_FLAG);
  if (unknown.length > 0) {
    process.stderr.write(`Unknown argument ${unknown.join(' ')}. Usage: npm start [-- ${DEMO_FLAG}]\n`);
    process.exit(2);
  }
  const supervisor: ChildProcess = spawn(process.execPath, [...process.execArgv, __filename, SUPERVISOR_FLAG, ...args], {
    cwd: process.cwd(),
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const forward = (signal: NodeJS.Signals) => () => {
    if (supervisor.exitCode === null) supervisor.kill(signal);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  process.on('SIGHUP', forward('SIGTERM'));
  supervisor.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (require.main === module) {
  if (process.argv.includes(SUPERVISOR_FLAG)) {
    supervise().catch((error: unknown) => {
      // Only configuration errors land here, before there is a logger.
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
  } else {
    launch();
  }
}
