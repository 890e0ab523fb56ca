/** The gateway's configuration, parsed once at start-up. */
import { z } from 'zod';
import { authRevocationEnv, commonEnv, parseConfig, peerUrlsEnv, portEnv } from '../services/shared/config';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const perWindow = (fallback: number) => z.coerce.number().positive().max(1_000_000_000).default(fallback);
const burst = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000_000).default(fallback);

/**
 * Token-bucket budgets for `ask` and the customer signals (see gateway/rate-limiter.ts). Each bucket holds up
 * to its burst and refills at `<budget>` tokens per `RATE_LIMIT_WINDOW_MS`, continuously. Defaults suit one
 * widget: a person asks a handful of questions a minute; a widget key serves a whole site.
 */
export const rateLimitEnv = {
  RATE_LIMITS_ENABLED: bool.default(true),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
  RATE_LIMIT_VISITOR_ASKS: perWindow(10),
  RATE_LIMIT_VISITOR_ASKS_BURST: burst(5),
  RATE_LIMIT_VISITOR_SIGNALS: perWindow(30),
  RATE_LIMIT_VISITOR_SIGNALS_BURST: burst(10),
  RATE_LIMIT_CUSTOMER_ASKS: perWindow(20),
  RATE_LIMIT_CUSTOMER_ASKS_BURST: burst(10),
  RATE_LIMIT_CUSTOMER_SIGNALS: perWindow(60),
  RATE_LIMIT_CUSTOMER_SIGNALS_BURST: burst(20),
  RATE_LIMIT_KEY_ASKS: perWindow(600),
  RATE_LIMIT_KEY_ASKS_BURST: burst(100),
  RATE_LIMIT_KEY_SIGNALS: perWindow(1_200),
  RATE_LIMIT_KEY_SIGNALS_BURST: burst(200),
  // Failed authentications per client address (auth-failure-limit.ts): wrong keys, made-up customer tokens.
  RATE_LIMIT_VISITOR_AUTH_FAILURES: perWindow(60),
  RATE_LIMIT_VISITOR_AUTH_FAILURES_BURST: burst(20),
  RATE_LIMIT_MAX_BUCKETS: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  /** Proxies in front of the gateway that append to X-Forwarded-For; 0 trusts none and uses the socket address. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
};

export const gatewayEnv = {
  ...commonEnv,
  ...portEnv('gateway'),
  ...peerUrlsEnv,
  ...authRevocationEnv,
  SUPERGRAPH_PATH: z.string().default('schema/supergraph.graphql'),
  AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(100).default(15),
  MAX_QUERY_COST: z.coerce.number().int().min(10).max(1_000_000).default(5_000),
  /** Fields an operation may return at most, page sizes multiplied with its variables (list-size-plugin.ts). */
  MAX_QUERY_NODES: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  MAX_QUERY_ALIASES: z.coerce.number().int().min(1).max(1_000).default(30),
  MAX_QUERY_TOKENS: z.coerce.number().int().min(100).max(100_000).default(4_000),
  /** true: every caller may introspect and sees "Did you mean" hints (local development); false: admin keys only. */
  GATEWAY_INTROSPECTION: bool.default(false),
  /** A subgraph that has not answered within this is UNAVAILABLE (an ask with a language model takes seconds). */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** What UNAVAILABLE tells clients to wait before retrying (a crashed process is back within a few seconds). */
  UNAVAILABLE_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3_600).default(2),
  ...rateLimitEnv,
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(gatewayEnv, env);
}

/** Subgraph name in the supergraph → its URL from configuration (the supergraph's URLs are only defaults). */
export function subgraphUrls(config: GatewayConfig): Record<string, string> {
  return {
    conversation: config.CONVERSATION_URL,
    knowledge: config.KNOWLEDGE_URL,
    'account-context': config.ACCOUNT_CONTEXT_URL,
    insights: config.INSIGHTS_URL,
  };
}
