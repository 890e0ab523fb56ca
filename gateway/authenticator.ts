/**
 * Verifies a request's API key (and end-customer token) through account-context, which owns keys and
 * workspace secrets. Verdicts are cached (keyed by a hash of the credentials) so a busy widget does not cost a
 * round trip per request, yet a revocation takes effect on every gateway replica by the time revokeApiKey
 * returns:
 *
 * - account-context bumps a revocation epoch in the revoking transaction, then holds its answer for the
 *   lease (AUTH_REVOCATION_LEASE_MS) before returning;
 * - each gateway reads the epoch in the background every quarter lease, and serves a cached verdict only if
 *   it was stored under the epoch it read last, and that read began less than one lease ago.
 *
 * A read that began before the revocation committed began more than a lease before revokeApiKey returned, so
 * after that return every cached verdict fails one of the two checks and the key is verified afresh. The hot
 * path stays a map lookup; the cost is one tiny query per quarter lease per gateway, a revocation that takes
 * a lease to return, and every cached verdict re-verified once after any revocation. If account-context
 * cannot be reached the lease lapses and every request is verified afresh (and fails while it is down).
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DomainError, ErrorCode, unauthenticated } from '../services/shared/errors';
import { InternalGraphQLClient } from '../services/shared/internal-client';
import { PollingLoop } from '../services/shared/polling-loop';
import { Role, SYSTEM_WORKSPACE } from '../services/shared/request-context';

export interface Caller {
  workspaceId: string;
  role: Role;
  subject: string;
  customerId?: string;
  /** Analysts only: the workspace lets its analysts read personal data. */
  personalData?: boolean;
}

export interface AuthenticatorOptions {
  /** How long a verdict may be reused at most (AUTH_CACHE_TTL_MS); 0 verifies every request. */
  cacheTtlMs: number;
  /** AUTH_REVOCATION_LEASE_MS: must equal account-context's. */
  leaseMs: number;
  onEpochFailure?: (error: unknown, consecutiveFailures: number) => void;
}

const AUTHENTICATE = `query Authenticate($apiKey: String!, $customerToken: String) {
  authenticate(apiKey: $apiKey, customerToken: $customerToken) { workspaceId role subject customerId personalData validUntil }
}`;
const AUTH_EPOCH = 'query AuthEpoch { authEpoch }';

const MAX_CACHED = 10_000;
const GATEWAY_CALLER = { workspaceId: SYSTEM_WORKSPACE, role: 'system', subject: 'service:gateway' } as const;

interface CachedVerdict {
  caller: Caller;
  expires: number;
  epoch: string;
}

export class Authenticator {
  private readonly cache = new Map<string, CachedVerdict>();
  /** The last epoch read and when (monotonic ms) the read that returned it began. */
  private epoch: { value: string; readStartedAt: number } | undefined;
  private readonly epochPoller: PollingLoop | undefined;

  constructor(
    private readonly accountContext: InternalGraphQLClient,
    private readonly options: AuthenticatorOptions,
  ) {
    if (options.cacheTtlMs > 0) {
      this.epochPoller = new PollingLoop(() => this.readEpoch(), {
        intervalMs: Math.max(10, Math.floor(options.leaseMs / 4)),
        maxDelayMs: options.leaseMs,
        onFailure: options.onEpochFailure ?? (() => undefined),
      });
      this.epochPoller.start();
    }
  }

  async stop(): Promise<void> {
    await this.epochPoller?.stop();
  }

  async authenticate(apiKey: string | undefined, customerToken: string | undefined, requestId: string): Promise<Caller> {
    if (!apiKey) throw unauthenticated('Send an API key as "Authorization: Bearer <key>"');
    const cacheKey = createHash('sha256').update(apiKey).update('\0').update(customerToken ?? '').digest('hex');
    // Taken before verifying: a verdict is only as current as the epoch known when it was asked for.
    const epoch = this.currentEpoch();
    const hit = this.cache.get(cacheKey);
    if (hit && epoch !== undefined && hit.epoch === epoch && hit.expires > performance.now()) return hit.caller;

    let verified: { authenticate: { workspaceId: string; role: Role; subject: string; customerId: string | null; personalData: boolean; validUntil: string | null } };
    try {
      verified = await this.accountContext.request(AUTHENTICATE, { apiKey, customerToken: customerToken ?? null }, { ...GATEWAY_CALLER, requestId });
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.Unauthenticated) throw error;
      if (error instanceof DomainError && error.code === ErrorCode.Unavailable) throw error;
      throw unauthenticated('The credentials could not be verified');
    }
    const { workspaceId, role, subject, customerId, personalData, validUntil } = verified.authenticate;
    const caller: Caller = { workspaceId, role, subject, ...(customerId ? { customerId } : {}), ...(personalData ? { personalData } : {}) };
    // A customer token's verdict ends when the token does, however long the cache would keep it.
    const ttl = Math.min(this.options.cacheTtlMs, validUntil ? Date.parse(validUntil) - Date.now() : Infinity);
    if (ttl > 0 && epoch !== undefined) {
      this.cache.delete(cacheKey);
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(cacheKey, { caller, expires: performance.now() + ttl, epoch });
    }
    return caller;
  }

  /** The epoch, if it was read within the lease; undefined means "verify afresh". */
  private currentEpoch(): string | undefined {
    if (!this.epoch || performance.now() - this.epoch.readStartedAt >= this.options.leaseMs) return undefined;
    return this.epoch.value;
  }

  private async readEpoch(): Promise<void> {
    const readStartedAt = performance.now();
    const { authEpoch } = await this.accountContext.request<{ authEpoch: string }>(AUTH_EPOCH, {}, GATEWAY_CALLER);
    if (this.epoch && this.epoch.value !== authEpoch) this.cache.clear();
    this.epoch = { value: authEpoch, readStartedAt };
  }
}
