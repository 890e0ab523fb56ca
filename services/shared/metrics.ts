/** Prometheus metrics for one process: default Node metrics plus request counters and latency histograms. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ProcessMetrics {
  registry: Registry;
  graphqlRequests: Counter<'operation' | 'outcome'>;
  graphqlDuration: Histogram<'operation'>;
}

export function createMetrics(service: string): ProcessMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const graphqlRequests = new Counter({
    name: 'loopdesk_graphql_requests_total',
    help: 'GraphQL operations served, by operation (its type and root fields, e.g. mutation:ask) and outcome (ok or error)',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const graphqlDuration = new Histogram({
    name: 'loopdesk_graphql_request_duration_seconds',
    help: 'GraphQL operation latency in seconds',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return { registry, graphqlRequests, graphqlDuration };
}
