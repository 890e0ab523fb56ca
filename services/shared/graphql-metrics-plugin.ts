/** Apollo Server plugin that records each operation's latency and outcome in the process metrics. */
import type { ApolloServerPlugin } from '@apollo/server';
import type { ProcessMetrics } from './metrics';

export function graphqlMetricsPlugin(metrics: ProcessMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
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
