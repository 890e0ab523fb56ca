/**
 * Insights subgraph process: config → warehouse (ClickHouse or chDB) and its migrations → Postgres (reports) → relay of the
 * services' outboxes → schema → server → ready. In the embedded mode this process owns the chDB directory,
 * which is why the relay runs here.
 */
import 'reflect-metadata';
import { Pool } from 'pg';
import { migrateWarehouse } from '../../analytics/migrate';
import { OutboxRelay } from '../../analytics/relay';
import { forgetTokens } from '../../analytics/relay-batches';
import { createWarehouse } from '../../analytics/warehouse-client';
import { withWarehouseWritesHeld } from '../../analytics/warehouse-lock';
import { lazyTemporalClient } from '../shared/temporal-connection';
import { hmacSecrets } from '../shared/config';
import { createLogger } from '../shared/logger';
import { createMetrics } from '../shared/metrics';
import type { SubgraphContext } from '../shared/subgraph-context';
import { runProcess } from '../shared/run-process';
import { startSubgraph } from '../shared/subgraph-server';
import { InsightsConfig, loadInsightsConfig } from './config';
import { openInsightsDatabase } from './database';
import { WebhookTargetPolicy } from './report/webhook-target-policy';
import { buildInsightsSchema, createInsightsServices } from './schema';

export async function startInsights(config: InsightsConfig, host?: string) {
  const logger = createLogger('insights', config.LOG_LEVEL);
  const metrics = createMetrics('insights');
  const warehouse = await createWarehouse(config, logger);
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 4, application_name: 'loopdesk-relay' });
  // An idle connection that Postgres drops (a restart, a failover) is an 'error' on the pool: without a listener
  // it would end the process. The pool discards that connection and opens a new one on the next pass.
  pool.on('error', (error) => logger.warn({ err: error }, 'relay lost an idle Postgres connection'));
  // Alone: no relay (this pod's or another's, in a rolling deploy) writes while migrations backfill.
  const migrated = await withWarehouseWritesHeld(pool, () => migrateWarehouse(warehouse, logger));
  const db = await openInsightsDatabase(config.DATABASE_URL);
  // A migration's backfill fills the tables' deduplication windows behind the relay's block clock.
  if (migrated.length > 0) await forgetTokens(pool);
  const temporal = lazyTemporalClient(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE);
  const relay = new OutboxRelay({ pool, warehouse, logger, batchSize: config.RELAY_BATCH_SIZE, intervalMs: config.RELAY_INTERVAL_MS, retentionMs: config.OUTBOX_RETENTION_HOURS * 3_600_000, registry: metrics.registry });
  const schema = await buildInsightsSchema(createInsightsServices({
      warehouse,
      db,
      temporal,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      webhookTargets: new WebhookTargetPolicy(config.REPORT_WEBHOOK_ALLOWED_HOSTS),
    }));
  const server = await startSubgraph(
    {
      name: 'insights',
      schema,
      secrets: hmacSecrets(config),
      logger,
      metrics,
      metricsPort: config.METRICS_PORT,
      readiness: [
        { name: 'warehouse', check: () => warehouse.client.query({ query: 'SELECT 1', format: 'JSONEachRow' }).then((r) => r.json()) },
        { name: 'postgres', check: () => db.query('SELECT 1') },
      ],
      context: (auth): SubgraphContext => ({ auth }),
    },
    config.PORT,
    host,
  );
  if (config.RELAY_ENABLED) relay.start();
  return {
    port: server.port,
    relay,
    async stop() {
      await relay.stop();
      await server.stop();
      await pool.end();
      await db.destroy();
      await temporal.close();
      await warehouse.close();
    },
  };
}

if (require.main === module) runProcess('insights', () => startInsights(loadInsightsConfig()));
