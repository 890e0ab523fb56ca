/**
 * Environment parsing: each process composes the fragments it needs into one zod schema, parses
 * process.env once at start-up and passes the frozen result down. Nothing else reads process.env.
 * The README's configuration table lists every variable defined here.
 */
import { z } from 'zod';
import { parseKeyEncryptionKeys } from './secret-envelope';

export const DEFAULT_PORTS = {
  gateway: 4000,
  conversation: 4101,
  knowledge: 4102,
  'account-context': 4103,
  insights: 4104,
  worker: 4105,
} as const;

export type ProcessName = keyof typeof DEFAULT_PORTS;

/** Where each process serves /metrics: a port of its own, kept off the public one. */
export const DEFAULT_METRICS_PORTS: Record<ProcessName, number> = {
  gateway: 9400,
  conversation: 9401,
  knowledge: 9402,
  'account-context': 9403,
  insights: 9404,
  worker: 9405,
};

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
/**
 * A peer's internal endpoint: plain HTTP inside the deployment (the processes' fetcher, http-fetcher.ts, speaks
 * node:http over keep-alive connections; TLS between pods belongs to the network or a mesh).
 */
const subgraphUrl = (name: Exclude<ProcessName, 'gateway' | 'worker'>) =>
  z
    .string()
    .url()
    .refine((value) => value.startsWith('http://'), { message: 'must be an http:// URL: internal endpoints speak plain HTTP (put TLS in the network or a mesh)' })
    .default(`http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`);

export const commonEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  INTERNAL_HMAC_SECRET: z.string().min(32, 'INTERNAL_HMAC_SECRET must be at least 32 characters'),
  INTERNAL_HMAC_SECRET_PREVIOUS: z.string().min(32).optional(),
};

export const databaseEnv = {
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL'),
};

export const peerUrlsEnv = {
  CONVERSATION_URL: subgraphUrl('conversation'),
  KNOWLEDGE_URL: subgraphUrl('knowledge'),
  ACCOUNT_CONTEXT_URL: subgraphUrl('account-context'),
  INSIGHTS_URL: subgraphUrl('insights'),
};

export const temporalEnv = {
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('loopdesk'),
};

export const warehouseEnv = {
  CLICKHOUSE_URL: z.string().url().optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('loopdesk'),
  WAREHOUSE_PATH: z.string().default('.data/warehouse'),
};

/**
 * How long a gateway may serve cached key verdicts without hearing the current revocation epoch; account-context
 * holds each revocation this long before answering, so the gateway and account-context must agree on it.
 */
export const authRevocationEnv = {
  AUTH_REVOCATION_LEASE_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
};

/** Key-encryption keys for secrets stored in the database: `kid:base64key[,kid:base64key…]`, current first. */
export const secretsEnv = {
  SECRETS_ENCRYPTION_KEYS: z.string().superRefine((value, issue) => {
    try {
      parseKeyEncryptionKeys(value);
    } catch (error) {
      issue.addIssue({ code: 'custom', message: `SECRETS_ENCRYPTION_KEYS: ${(error as Error).message}` });
    }
  }),
};

/** PORT serves the API (and /health, /ready); METRICS_PORT serves /metrics alone, 0 turns it off. */
export const portEnv = (name: ProcessName) => ({ PORT: port(DEFAULT_PORTS[name]), METRICS_PORT: port(DEFAULT_METRICS_PORTS[name]) });

export function parseConfig<S extends z.ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env): Readonly<z.infer<z.ZodObject<S>>> {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return Object.freeze(result.data);
}

export function hmacSecrets(config: { INTERNAL_HMAC_SECRET: string; INTERNAL_HMAC_SECRET_PREVIOUS?: string }): string[] {
  return config.INTERNAL_HMAC_SECRET_PREVIOUS ? [config.INTERNAL_HMAC_SECRET, config.INTERNAL_HMAC_SECRET_PREVIOUS] : [config.INTERNAL_HMAC_SECRET];
}
