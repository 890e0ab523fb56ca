/** The gateway's configuration, parsed once at start-up. */
import { z } from 'zod';
import { authRevocationEnv, commonEnv, parseConfig, peerUrlsEnv, portEnv } from '../services/shared/config';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const gatewayEnv = {
  ...commonEnv,
  ...portEnv('gateway'),
  ...peerUrlsEnv,
  ...authRevocationEnv,
  SUPERGRAPH_PATH: z.string().default('schema/supergraph.graphql'),
  AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  MAX_QUERY_DEPTH: z.coerce.number().int().min(2).max(100).default(15),
  MAX_QUERY_COST: z.coerce.number().int().min(10).max(1_000_000).default(5_000),
  MAX_QUERY_ALIASES: z.coerce.number().int().min(1).max(1_000).default(30),
  MAX_QUERY_TOKENS: z.coerce.number().int().min(100).max(100_000).default(4_000),
  /** true: every caller may introspect and sees "Did you mean" hints (local development); false: admin keys only. */
  GATEWAY_INTROSPECTION: bool.default(false),
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
