/**
 * The start sequence every Postgres-backed subgraph shares: config → Postgres (migrations) → schema →
 * server → ready, and its reverse on stop. Services supply what differs.
 */
import type { Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { hmacSecrets } from './config';
import type { ReadinessCheck } from './http-server';
import { Logger, createLogger } from './logger';
import { ProcessMetrics, createMetrics } from './metrics';
import type { RequestContext } from './request-context';
import type { SubgraphContext } from './subgraph-context';
import { startSubgraph } from './subgraph-server';

export interface PostgresSubgraphConfig {
  LOG_LEVEL: string;
  INTERNAL_HMAC_SECRET: string;
  INTERNAL_HMAC_SECRET_PREVIOUS?: string;
  DATABASE_URL: string;
  PORT: number;
  METRICS_PORT: number;
}

export interface PostgresSubgraphParts<S, C extends SubgraphContext> {
  name: string;
  openDatabase: (url: string) => Promise<DataSource>;
  createServices: (db: DataSource, logger: Logger, metrics: ProcessMetrics) => S;
  buildSchema: (services: S) => Promise<GraphQLSchema>;
  createContext: (db: DataSource, auth: RequestContext, services: S) => C;
  readiness?: (services: S) => ReadinessCheck[];
  /** Extra HTTP routes outside GraphQL (e.g. signed webhooks). */
  routes?: (app: Express, services: S, logger: Logger) => void;
  /** Background work started after the server (pollers, relays); stopped first on shutdown. */
  startBackground?: (services: S, logger: Logger) => { stop(): Promise<void> };
}

export interface RunningService<S> {
  port: number;
  services: S;
  stop(): Promise<void>;
}

export async function startPostgresSubgraph<S, C extends SubgraphContext>(
  parts: PostgresSubgraphParts<S, C>,
  config: PostgresSubgraphConfig,
  host?: string,
): Promise<RunningService<S>> {
  const logger = createLogger(parts.name, config.LOG_LEVEL);
  const metrics = createMetrics(parts.name);
  const db = await parts.openDatabase(config.DATABASE_URL);
  const services = parts.createServices(db, logger, metrics);
  const schema = await parts.buildSchema(services);
  const server = await startSubgraph(
    {
      name: parts.name,
      schema,
      secrets: hmacSecrets(config),
      logger,
      metrics,
      metricsPort: config.METRICS_PORT,
      readiness: [{ name: 'postgres', check: () => db.query('SELECT 1') }, ...(parts.readiness?.(services) ?? [])],
      context: (auth) => parts.createContext(db, auth, services),
      routes: parts.routes ? (app) => parts.routes!(app, services, logger) : undefined,
    },
    config.PORT,
    host,
  );
  const background = parts.startBackground?.(services, logger);
  return {
    port: server.port,
    services,
    async stop() {
      await background?.stop();
      await server.stop();
      await db.destroy();
    },
  };
}
