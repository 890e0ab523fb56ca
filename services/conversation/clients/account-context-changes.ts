/**
 * Hearing account-context's own changes: its tables that feed questionContext NOTIFY this channel with the
 * workspace's id when a transaction that changed them commits (account-context migration 1764760700000). Both
 * services use the same database; the channel is the whole contract, no table of account-context is read here.
 */
import type { Registry } from 'prom-client';
import type { Logger } from '../../shared/logger';
import { PgNotifications } from '../../shared/pg-notifications';
import { AskerContextCache } from './asker-context-cache';

export const ACCOUNT_CONTEXT_CHANGED_CHANNEL = 'account_context_changed';

/**
 * Sized for the askers of a busy few minutes: an entry is a few hundred bytes with no open bugs, a few KB with the
 * most questionContext returns (10 bugs) or a long page, so tens of MB at worst.
 */
const MAX_KEPT_CONTEXTS = 20_000;

/** A cache that forgets a workspace's contexts when account-context announces a change there; start and stop `changes` with the process. */
export function askerContextCacheListening(databaseUrl: string, ttlMs: number, logger: Logger, registry?: Registry): { cache: AskerContextCache; changes: PgNotifications } {
  const changes: PgNotifications = new PgNotifications(databaseUrl, ACCOUNT_CONTEXT_CHANGED_CHANNEL, (workspaceId) => cache.forget(workspaceId), logger);
  const cache = new AskerContextCache({ ttlMs, maxEntries: MAX_KEPT_CONTEXTS, heard: () => changes.listening }, registry);
  return { cache, changes };
}
