/**
 * Askers' context kept briefly in this process (issue 16, cost per ask): a customer asking again from the same page
 * costs no call to account-context (a subgraph round trip and three queries there). account-context announces its
 * own changes (account-context-changes.ts), and a change evicts its workspace's entries at once; the TTL bounds what
 * an announcement that never arrives can cost. Entries are kept and served only while changes are heard: while the
 * listening connection is down every ask calls account-context, and what was kept before is dropped when it is back.
 *
 * Entries are shared between asks: read-only.
 */
import { Counter, Registry } from 'prom-client';
import type { AskerContext } from './account-context';

export interface AskerContextCacheOptions {
  ttlMs: number;
  /** Oldest first past this: the oldest entry is also the nearest to expiring. */
  maxEntries: number;
  /** Whether account-context's changes are being heard right now. */
  heard: () => boolean;
  now?: () => number;
}

interface Entry {
  workspaceId: string;
  context: AskerContext;
  expiresAt: number;
}

interface Fetch {
  workspaceId: string;
  context: Promise<AskerContext>;
}

export class AskerContextCache {
  /** Map order is insertion order: the first entry is the oldest. */
  private readonly entries = new Map<string, Entry>();
  /** Calls to account-context in flight, shared by the asks that want the same context meanwhile. */
  private readonly fetches = new Map<string, Fetch>();
  private readonly lookups: Counter<'result'>;
  private readonly now: () => number;

  /** Without a registry (tests) the counter is kept but exported nowhere. */
  constructor(
    private readonly options: AskerContextCacheOptions,
    registry?: Registry,
  ) {
    this.now = options.now ?? Date.now;
    this.lookups = new Counter({
      name: 'loopdesk_asker_context_cache_total',
      help: "Askers' context lookups: hit (no call of their own to account-context: kept, or shared with one in flight) or miss (a call)",
      labelNames: ['result'] as const,
      registers: registry ? [registry] : [],
    });
  }

  /** The context kept for this asker and page, else what `fetch` returns (kept if it succeeds and nothing changed meanwhile). */
  async get(workspaceId: string, customerId: string, page: string | null, fetch: () => Promise<AskerContext>): Promise<AskerContext> {
    // Workspace and customer ids are uuids: a space cannot occur in them, and a null page differs from an empty one.
    const key = page === null ? `${workspaceId} ${customerId}` : `${workspaceId} ${customerId} ${page}`;
    const startedAt = this.now();
    const kept = this.entries.get(key);
    if (kept && kept.expiresAt > startedAt && this.options.heard()) {
      this.lookups.inc({ result: 'hit' });
      return kept.context;
    }
    if (kept) this.entries.delete(key);
    const inFlight = this.fetches.get(key);
    if (inFlight) {
      this.lookups.inc({ result: 'hit' });
      return inFlight.context;
    }
    this.lookups.inc({ result: 'miss' });
    const fetching: Fetch = { workspaceId, context: fetch() };
    this.fetches.set(key, fetching);
    try {
      const context = await fetching.context;
      // Forgotten meanwhile (a change in the workspace, or a reconnect): this answer may predate it, so it serves only the asks that waited for it.
      if (this.fetches.get(key) === fetching && this.options.heard()) this.keep(key, { workspaceId, context, expiresAt: startedAt + this.options.ttlMs });
      return context;
    } finally {
      if (this.fetches.get(key) === fetching) this.fetches.delete(key);
    }
  }

  /**
   * Drops a workspace's entries and its calls in flight (their answers may predate the change); null drops every
   * workspace's. A scan of every entry: about 0.1-0.2 ms at 20,000 (measured on the 2-core dev machine), once per
   * transaction that changed the workspace.
   */
  forget(workspaceId: string | null): void {
    if (workspaceId === null) {
      this.entries.clear();
      this.fetches.clear();
      return;
    }
    for (const [key, entry] of this.entries) if (entry.workspaceId === workspaceId) this.entries.delete(key);
    for (const [key, fetching] of this.fetches) if (fetching.workspaceId === workspaceId) this.fetches.delete(key);
  }

  private keep(key: string, entry: Entry): void {
    if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, entry);
  }
}
