/**
 * Serves one subgraph: Apollo Server on /graphql inside the shared HTTP shell. Every request must carry a
 * context header signed with the internal secret; anything else is refused before execution.
 */
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { DomainError, formatError, toGraphQLError } from './errors';
import { graphqlMetricsPlugin } from './graphql-metrics-plugin';
import { HttpShell, ReadinessCheck, createHttpShell } from './http-server';
import type { Logger } from './logger';
import type { ProcessMetrics } from './metrics';
import { CONTEXT_HEADER, RequestContext, verifyContext } from './request-context';
import type { SubgraphContext } from './subgraph-context';

export interface SubgraphOptions<C extends SubgraphContext> {
  name: string;
  schema: GraphQLSchema;
  secrets: readonly string[];
  logger: Logger;
  metrics: ProcessMetrics;
  readiness: ReadinessCheck[];
  /** Port of the /metrics server (METRICS_PORT); 0 serves none. */
  metricsPort: number;
  /** Extra HTTP routes outside GraphQL (e.g. signed webhooks), mounted before /graphql. */
  routes?: (app: import('express').Express) => void;
  /** Builds the per-request context (loaders, scoped repositories) once the caller is verified. */
  context: (auth: RequestContext) => C | Promise<C>;
}

export interface RunningSubgraph {
  shell: HttpShell;
  port: number;
  stop(): Promise<void>;
}

export async function startSubgraph<C extends SubgraphContext>(options: SubgraphOptions<C>, port: number, host?: string): Promise<RunningSubgraph> {
  const shell = createHttpShell({ logger: options.logger, metrics: options.metrics, readiness: options.readiness, metricsPort: options.metricsPort });
  const apollo = new ApolloServer<C>({
    schema: options.schema,
    formatError,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled(), graphqlMetricsPlugin(options.metrics, options.logger)],
  });
  await apollo.start();
  options.routes?.(shell.app);
  shell.app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        let auth: RequestContext;
        try {
          auth = verifyContext(req.header(CONTEXT_HEADER), options.secrets);
        } catch (error) {
          if (error instanceof DomainError) throw toGraphQLError(error, true);
          throw error;
        }
        return options.context(auth);
      },
    }),
  );
  const boundPort = await shell.listen(port, host);
  options.logger.info({ port: boundPort, metricsPort: shell.metricsPort() }, `${options.name} subgraph listening`);
  return {
    shell,
    port: boundPort,
    async stop() {
      await shell.close();
      await apollo.stop();
    },
  };
}
