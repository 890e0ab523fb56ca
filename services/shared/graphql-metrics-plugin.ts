import type { ApolloServerPlugin } from '@apollo/server';
import { DomainError, ErrorCode } from './errors';
import type { Logger } from './logger';
import type { ProcessMetrics } from './metrics';

/** Records latency and outcome per operation, and logs every error that clients only see masked. */
export function graphqlMetricsPlugin(metrics: ProcessMetrics, logger?: Logger): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors(requestContext) {
          for (const error of requestContext.errors) {
            const original = error.originalError;
            if (!original || original instanceof DomainError || original.name === 'ArgumentValidationError') continue;
            const code = String(error.extensions?.code ?? '');
            if (code.startsWith('GRAPHQL_') || (Object.values(ErrorCode) as string[]).includes(code)) continue;
            logger?.error({ err: original, path: error.path, operation: requestContext.operationName }, 'unexpected error while resolving');
          }
        },
        async willSendResponse(requestContext) {
          const operation = requestContext.operationName ?? 'anonymous';
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const outcome = requestContext.errors && requestContext.errors.length > 0 ? 'error' : 'ok';
          metrics.graphqlDuration.observe({ operation }, seconds);
          metrics.graphqlRequests.inc({ operation, outcome });
        },
      };
    },
  };
}
