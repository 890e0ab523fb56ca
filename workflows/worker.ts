/**
 * The worker process: runs Loopdesk's workflows and activities on TEMPORAL_TASK_QUEUE, and the shared HTTP
 * shell (/health, /ready = the worker is polling) on PORT, /metrics on METRICS_PORT.
 *
 * Start-up: config → HTTP shell → Temporal connection (retried until the server answers) → worker → ready.
 * The shell comes first so that /health answers and /ready says why while Temporal is still starting
 * (`npm start` launches the dev server alongside). Shutdown on SIGTERM/SIGINT reverses it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { InternalGraphQLClient } from '../services/shared/internal-client';
import { ConversationClient } from './clients/conversation-client';
import { KnowledgeClient } from './clients/knowledge-client';
import { createHttpShell } from '../services/shared/http-server';
import { Logger, createLogger } from '../services/shared/logger';
import { createMetrics } from '../services/shared/metrics';
import { Client, Connection } from '@temporalio/client';
import { PollingLoop } from '../services/shared/polling-loop';
import { createActivities } from './activities';
import { WorkerConfig, loadWorkerConfig } from './config';
import { AccountContextClient } from './clients/account-context-client';
import { InsightsClient } from './clients/insights-client';
import { reconcileWeeklyReportSchedules } from './schedules';
import { createLoopdeskWorker } from './worker-factory';

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** Routes the SDK's logs (and the Rust core's, forwarded) into the process's JSON log. */
function temporalLogger(logger: Logger): TemporalLogger {
  const child = logger.child({ component: 'temporal-sdk' });
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const method = ({ TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const)[level];
    child[method](meta ?? {}, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}

async function connectWithRetry(address: string, logger: Logger, signal: AbortSignal): Promise<NativeConnection> {
  let delayMs = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await NativeConnection.connect({ address });
    } catch (error) {
      if (signal.aborted) throw error;
      logger.warn({ address, attempt, retryInMs: delayMs, err: error }, 'Temporal is not answering yet');
      await sleep(delayMs, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) throw new Error('shutdown requested while waiting for Temporal');
      delayMs = Math.min(delayMs * 2, 5_000);
    }
  }
}

/** Keeps one weekly report schedule per workspace, checking every WEEKLY_REPORT_RECONCILE_MS. */
async function startScheduleReconciler(
  config: WorkerConfig,
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const accountContext = new AccountContextClient(new InternalGraphQLClient(config.ACCOUNT_CONTEXT_URL, config.INTERNAL_HMAC_SECRET));
  const loop = new PollingLoop(
    async () => {
      const count = await reconcileWeeklyReportSchedules(client, () => accountContext.allWorkspaces(), config.TEMPORAL_TASK_QUEUE);
      logger.debug({ workspaces: count }, 'weekly report schedules reconciled');
    },
    { intervalMs: config.WEEKLY_REPORT_RECONCILE_MS, maxDelayMs: config.WEEKLY_REPORT_RECONCILE_MS, onFailure: (error, failures) => logger.warn({ err: error, failures }, 'weekly report schedules not reconciled yet') },
  );
  loop.start();
  return {
    async stop() {
      await loop.stop();
      await connection.close();
    },
  };
}

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = createLogger('worker', config.LOG_LEVEL);
  // We shut the worker down ourselves, in order, instead of letting the SDK react to signals on its own.
  Runtime.install({
    logger: temporalLogger(logger),
    shutdownSignals: [],
    telemetryOptions: {
      logging: { forward: {}, filter: { core: 'WARN', other: 'ERROR' } },
      // Workflow-task and activity latencies, schedule-to-start, slots: the SDK's own metrics, in seconds.
      ...(config.WORKER_SDK_METRICS_PORT > 0
        ? { metrics: { prometheus: { bindAddress: `127.0.0.1:${config.WORKER_SDK_METRICS_PORT}`, countersTotalSuffix: true, useSecondsForDurations: true } } }
        : {}),
    },
  });
  const metrics = createMetrics('worker');

  let worker: Worker | undefined;
  const shell = createHttpShell({
    logger,
    metrics,
    metricsPort: config.METRICS_PORT,
    extraMetrics:
      config.WORKER_SDK_METRICS_PORT > 0
        ? async () => (await fetch(`http://127.0.0.1:${config.WORKER_SDK_METRICS_PORT}/metrics`, { signal: AbortSignal.timeout(2_000) })).text()
        : undefined,
    readiness: [
      {
        name: 'temporal-worker',
        check: async () => {
          const state = worker?.getState() ?? 'CONNECTING';
          if (state !== 'RUNNING') throw new Error(`worker is ${state}`);
        },
      },
    ],
  });
  const port = await shell.listen(config.PORT);
  logger.info({ port, metricsPort: shell.metricsPort() }, 'worker HTTP shell listening');

  const stopping = new AbortController();
  for (const signal of SHUTDOWN_SIGNALS) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      stopping.abort();
      if (worker?.getState() === 'RUNNING') worker.shutdown();
    });
  }

  let connection: NativeConnection | undefined;
  let failed = false;
  try {
    connection = await connectWithRetry(config.TEMPORAL_ADDRESS, logger, stopping.signal);
    worker = await createLoopdeskWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      activities: createActivities({
        logger,
        conversation: new ConversationClient(new InternalGraphQLClient(config.CONVERSATION_URL, config.INTERNAL_HMAC_SECRET)),
        knowledge: new KnowledgeClient(new InternalGraphQLClient(config.KNOWLEDGE_URL, config.INTERNAL_HMAC_SECRET)),
        accountContext: new AccountContextClient(new InternalGraphQLClient(config.ACCOUNT_CONTEXT_URL, config.INTERNAL_HMAC_SECRET)),
        // Building a report scans a week (and its baselines) of events: give it longer than a plain call.
        insights: new InsightsClient(new InternalGraphQLClient(config.INSIGHTS_URL, config.INTERNAL_HMAC_SECRET, 120_000)),
        pauseBeforeDeliveryMs: config.WORKER_PAUSE_BEFORE_DELIVERY_MS,
      }),
    });
    const schedules = await startScheduleReconciler(config, logger);
    // run() marks the worker RUNNING synchronously; a signal that came while it was being built (bundling
    // takes seconds) stops it straight away, which also releases the connection for close().
    const running = worker.run();
    if (stopping.signal.aborted) worker.shutdown();
    else logger.info({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker running');
    await running;
    await schedules.stop();
  } catch (error) {
    if (!stopping.signal.aborted) {
      failed = true;
      logger.fatal({ err: error }, 'worker failed');
    }
  } finally {
    await shell.close();
    await connection?.close();
  }
  logger.info('worker stopped');
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  // Only configuration errors land here, before there is a logger.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
