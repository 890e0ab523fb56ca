/** The worker's configuration, parsed once at start-up. */
import { z } from 'zod';
import { commonEnv, parseConfig, peerUrlsEnv, portEnv, temporalEnv } from '../services/shared/config';

export const workerEnv = {
  ...commonEnv,
  ...temporalEnv,
  ...portEnv('worker'),
  CONVERSATION_URL: peerUrlsEnv.CONVERSATION_URL,
  KNOWLEDGE_URL: peerUrlsEnv.KNOWLEDGE_URL,
  ACCOUNT_CONTEXT_URL: peerUrlsEnv.ACCOUNT_CONTEXT_URL,
  INSIGHTS_URL: peerUrlsEnv.INSIGHTS_URL,
  /** How soon a new workspace gets its weekly report schedule. */
  WEEKLY_REPORT_RECONCILE_MS: z.coerce.number().int().min(1_000).default(300_000),
  /** Loopback port for the Temporal SDK's own Prometheus exporter, merged into /metrics; 0 turns it off. */
  WORKER_SDK_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Test aid for crash tests; 0 in production. */
  WORKER_PAUSE_BEFORE_DELIVERY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
};

export type WorkerConfig = ReturnType<typeof loadWorkerConfig>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(workerEnv, env);
}
