/** Insights' configuration, parsed once at start-up. */
import { z } from 'zod';
import { commonEnv, databaseEnv, parseConfig, portEnv, temporalEnv, warehouseEnv } from '../shared/config';

export const insightsEnv = {
  ...commonEnv,
  ...warehouseEnv,
  ...portEnv('insights'),
  /** The relay reads the services' outboxes from this database; reports and their webhooks live in its "insights" schema. */
  ...databaseEnv,
  /** On-demand reports run the report workflow. */
  ...temporalEnv,
  RELAY_ENABLED: z.enum(['true', 'false']).transform((v) => v === 'true').default(true),
  RELAY_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1_000),
};

export type InsightsConfig = ReturnType<typeof loadInsightsConfig>;

export function loadInsightsConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(insightsEnv, env);
}
