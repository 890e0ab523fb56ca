/**
 * Enforces the rate limits once the operation is parsed and validated and before the gateway plans it, so a
 * refused request costs the subgraphs nothing. A refusal is RATE_LIMITED with HTTP 429, a Retry-After header
 * and `extensions.details.retryAfterSeconds`.
 */
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { Counter } from 'prom-client';
import { DomainError, ErrorCode, badInput, toGraphQLError } from '../services/shared/errors';
import type { ProcessMetrics } from '../services/shared/metrics';
import { countLimitedFields } from './limited-operations';
import { Admission, RateLimiter } from './rate-limiter';
import type { GatewayContext } from './signed-context-data-source';

const WHAT = { asks: 'questions', signals: 'ratings and resolution signals' } as const;
const WHOSE = { key: 'this API key', customer: 'this customer', visitor: 'this visitor' } as const;

export function rateLimitPlugin(limiter: RateLimiter, metrics: ProcessMetrics): ApolloServerPlugin<GatewayContext> {
  const refused = new Counter({
    name: 'loopdesk_gateway_rate_limited_total',
    help: 'Requests refused by a rate limit, by scope (key, customer, visitor) and kind (asks, signals)',
    labelNames: ['scope', 'kind'] as const,
    registers: [metrics.registry],
  });
  const listener: GraphQLRequestListener<GatewayContext> = {
    async didResolveOperation({ document, operation, contextValue, response }) {
      const counts = operation && countLimitedFields(document, operation);
      if (!counts) return;
      const admission = limiter.admit(contextValue.caller, contextValue.client, counts);
      if (admission.admitted) return;
      refused.inc({ scope: admission.scope, kind: admission.kind });
      if ('tooLarge' in admission) {
        throw toGraphQLError(badInput(`One request may carry at most ${admission.tooLarge.burst} ${WHAT[admission.kind]}; this one carries ${admission.tooLarge.count}`), true);
      }
      const retryAfterSeconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
      response.http.headers.set('retry-after', String(retryAfterSeconds));
      throw toGraphQLError(refusal(admission, retryAfterSeconds), true);
    },
  };
  return {
    async requestDidStart() {
      return listener;
    },
  };
}

function refusal(admission: Extract<Admission, { retryAfterMs: number }>, retryAfterSeconds: number): DomainError {
  return new DomainError(ErrorCode.RateLimited, `Too many ${WHAT[admission.kind]} from ${WHOSE[admission.scope]}; retry after ${retryAfterSeconds} s`, {
    retryAfterSeconds,
    scope: admission.scope,
    kind: admission.kind,
  });
}
