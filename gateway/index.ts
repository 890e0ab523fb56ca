/**
 * The gateway process: config → static supergraph → Apollo Gateway with signed context forwarding →
 * authentication, depth/cost/alias/directive/token limits, schema visibility by role, NUL refusal, rate limits
 * on asks and signals, outages as UNAVAILABLE (HTTP 503 + Retry-After) → server → ready.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express from 'express';
import { DomainError, ErrorCode, toGraphQLError } from '../services/shared/errors';
import { graphqlMetricsPlugin } from '../services/shared/graphql-metrics-plugin';
import { createHttpShell } from '../services/shared/http-server';
import { InternalGraphQLClient } from '../services/shared/internal-client';
import { createLogger } from '../services/shared/logger';
import { createMetrics } from '../services/shared/metrics';
import { currentRequestId, newRequestId } from '../services/shared/request-context';
import { runProcess } from '../services/shared/run-process';
import { AuthFailureLimit } from './auth-failure-limit';
import { Authenticator } from './authenticator';
import { GatewayConfig, loadGatewayConfig, subgraphUrls } from './config';
import { listSizePlugin } from './list-size-plugin';
import { formatGatewayError } from './planner-errors';
import { rateLimitPlugin } from './rate-limit-plugin';
import { RateLimiter, rateLimitBudgets } from './rate-limiter';
import { refuseUnstorableTextPlugin } from './refuse-unstorable-text';
import { schemaVisibilityPlugin } from './schema-visibility';
import { GatewayContext, SignedContextDataSource } from './signed-context-data-source';
import { TokenBuckets } from './token-buckets';
import { unavailablePlugin } from './unavailable-plugin';

/** One validation error is enough to refuse an operation; more would only echo an abusive query back (one per unknown directive). */
const MAX_VALIDATION_ERRORS = 1;

export async function startGateway(config: GatewayConfig, host?: string) {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const metrics = createMetrics('gateway');
  const urls = subgraphUrls(config);
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(config.SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name, url }) => new SignedContextDataSource(urls[name] ?? url ?? '', config.INTERNAL_HMAC_SECRET, name, config.SUBGRAPH_TIMEOUT_MS, (service, cause) =>
        logger.warn({ service, err: cause }, 'subgraph unavailable'),
      ),
  });
  // `__schema` is left out of depth and cost so that GraphiQL's and Sandbox's introspection query (depth 21)
  // works for admins; schemaVisibilityPlugin refuses introspection to everyone else before it executes.
  const armor = new ApolloArmor({
    maxDepth: { n: config.MAX_QUERY_DEPTH, ignoreIntrospection: true },
    costLimit: { maxCost: config.MAX_QUERY_COST, ignoreIntrospection: true },
    // armor's default allow-list skips `__typename`, which makes aliased `__typename` a free amplifier.
    maxAliases: { n: config.MAX_QUERY_ALIASES, allowList: [] },
    maxTokens: { n: config.MAX_QUERY_TOKENS },
    maxDirectives: { n: 50 },
    // Suggestions are hidden per caller by schemaVisibilityPlugin, not for everyone.
    blockFieldSuggestion: { enabled: false },
  });
  const protections = armor.protect();
  const rateLimits = config.RATE_LIMITS_ENABLED
    ? [rateLimitPlugin(new RateLimiter(rateLimitBudgets(config), new TokenBuckets(config.RATE_LIMIT_MAX_BUCKETS)), metrics)]
    : [];
  const authFailures = config.RATE_LIMITS_ENABLED
    ? new AuthFailureLimit(new TokenBuckets(config.RATE_LIMIT_MAX_BUCKETS), {
        name: 'visitor authentication failures',
        burst: config.RATE_LIMIT_VISITOR_AUTH_FAILURES_BURST,
        refillPerMs: config.RATE_LIMIT_VISITOR_AUTH_FAILURES / config.RATE_LIMIT_WINDOW_MS,
      })
    : undefined;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: formatGatewayError,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    validationRules: protections.validationRules,
    validationOptions: { maxErrors: MAX_VALIDATION_ERRORS },
    plugins: [
      ...protections.plugins,
      listSizePlugin(config.MAX_QUERY_NODES),
      schemaVisibilityPlugin(config.GATEWAY_INTROSPECTION),
      refuseUnstorableTextPlugin(),
      ApolloServerPluginInlineTraceDisabled(),
      // No response cache sits behind the gateway: computing a cache policy for every response is work for nothing.
      ApolloServerPluginCacheControlDisabled(),
      graphqlMetricsPlugin(metrics, logger),
      unavailablePlugin(config.UNAVAILABLE_RETRY_AFTER_SECONDS),
      ...rateLimits,
    ],
  });
  await apollo.start();

  const authenticator = new Authenticator(new InternalGraphQLClient(config.ACCOUNT_CONTEXT_URL, config.INTERNAL_HMAC_SECRET), {
    cacheTtlMs: config.AUTH_CACHE_TTL_MS,
    leaseMs: config.AUTH_REVOCATION_LEASE_MS,
    onEpochFailure: (error, failures) => logger.warn({ err: error, failures }, 'revocation epoch unreadable: verifying every request'),
  });
  const shell = createHttpShell({
    logger,
    metrics,
    metricsPort: config.METRICS_PORT,
    readiness: Object.entries(urls).map(([name, url]) => ({
      name,
      check: async () => {
        const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2_000) });
        if (!response.ok) throw new Error(`${name} answered ${response.status}`);
      },
    })),
  });
  // Express resolves req.ip from X-Forwarded-For only through this many proxies; the rate limits key visitors by it.
  shell.app.set('trust proxy', config.TRUSTED_PROXY_HOPS);
  shell.app.use(
    '/graphql',
    express.json({ limit: '256kb' }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<GatewayContext> => {
        const requestId = currentRequestId() ?? newRequestId();
        const authorization = req.header('authorization');
        const apiKey = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
        const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
        const wait = authFailures?.waitFor(address) ?? 0;
        if (wait > 0) throw authenticationRefusal(rateLimited(wait), config.UNAVAILABLE_RETRY_AFTER_SECONDS);
        try {
          const caller = await authenticator.authenticate(apiKey, req.header('x-customer-token') ?? undefined, requestId);
          return { caller, requestId, client: { apiKey: apiKey!, address } };
        } catch (error) {
          if (error instanceof DomainError && error.code === ErrorCode.Unauthenticated) authFailures?.failed(address);
          if (error instanceof DomainError) throw authenticationRefusal(error, config.UNAVAILABLE_RETRY_AFTER_SECONDS);
          throw error;
        }
      },
    }),
  );
  const port = await shell.listen(config.PORT, host);
  logger.info({ port, metricsPort: shell.metricsPort() }, 'gateway listening');
  return {
    port,
    async stop() {
      await shell.close();
      await authenticator.stop();
      await apollo.stop();
    },
  };
}

/**
 * A refusal before execution, with its HTTP status; a refusal to come back later (an address past its failed
 * authentications, RATE_LIMITED with its own wait; account-context away, UNAVAILABLE with the same hint as any
 * other outage) carries a Retry-After header.
 */
function authenticationRefusal(error: DomainError, outageRetryAfterSeconds: number) {
  if (error.code !== ErrorCode.RateLimited && error.code !== ErrorCode.Unavailable) return toGraphQLError(error, true);
  const retryAfterSeconds = Number(error.details?.retryAfterSeconds ?? outageRetryAfterSeconds);
  const refusal = toGraphQLError(new DomainError(error.code, error.message, { ...error.details, retryAfterSeconds }), true);
  (refusal.extensions.http as { headers?: Map<string, string> }).headers = new Map([['retry-after', String(retryAfterSeconds)]]);
  return refusal;
}

/** Too many failed authentications from this address (auth-failure-limit.ts). */
function rateLimited(waitMs: number): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new DomainError(ErrorCode.RateLimited, `Too many failed authentications from this address; retry after ${retryAfterSeconds} s`, { retryAfterSeconds, scope: 'visitor', kind: 'authentications' });
}

if (require.main === module) runProcess('gateway', () => startGateway(loadGatewayConfig()));
