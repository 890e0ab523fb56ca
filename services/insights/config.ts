/** Insights' configuration, parsed once at start-up. */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
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
  /**
   * How often the relay looks for new outbox events. A warehouse insert costs about 50 ms of CPU in embedded chDB
   * whatever its size up to a few hundred events (thirteen views run on it), and ClickHouse servers also want about
   * one insert a second at most: every 500 ms, under steady asks, the relay alone cost 5-11 ms of CPU per ask.
   * Insights are read over hours and days, so two seconds late costs nothing; a backlog still drains batch after
   * batch within one pass.
   */
  RELAY_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** Rows per batch (two batches are in flight while a backlog drains): 42-44k events/s at 20,000 against 34-38k at 10,000 (npm run bench:relay). */
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(20_000),
  /** How many hours a published outbox row is kept before the relay deletes it. */
  OUTBOX_RETENTION_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(168),
  /**
   * Report webhooks go to public https targets only; these (comma-separated host names, addresses or CIDR
   * ranges, e.g. "hooks.internal,10.20.0.0/16") may also be private and use http.
   */
  REPORT_WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
    .refine((entries) => entries.every(isAllowListEntry), 'each entry must be a host name, an IP address or a CIDR range'),
};

function isAllowListEntry(entry: string): boolean {
  if (entry.includes('/')) return ipaddr.isValidCIDR(entry);
  return isIP(entry) !== 0 || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry);
}

export type InsightsConfig = ReturnType<typeof loadInsightsConfig>;

export function loadInsightsConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseConfig(insightsEnv, env);
}
