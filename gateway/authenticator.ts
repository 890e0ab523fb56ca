/**
 * Verifies a request's API key (and end-customer token) through account-context, which owns keys and
 * workspace secrets. Verdicts are cached briefly (keyed by a hash of the credentials) so a busy widget
 * does not cost a round trip per request; a revoked key stops working within the cache TTL.
 */
import { createHash } from 'node:crypto';
import { DomainError, ErrorCode, unauthenticated } from '../services/shared/errors';
import { InternalGraphQLClient } from '../services/shared/internal-client';
import { Role, SYSTEM_WORKSPACE } from '../services/shared/request-context';

export interface Caller {
  workspaceId: string;
  role: Role;
  subject: string;
  customerId?: string;
}

const AUTHENTICATE = `query Authenticate($apiKey: String!, $customerToken: String) {
  authenticate(apiKey: $apiKey, customerToken: $customerToken) { workspaceId role subject customerId }
}`;

const MAX_CACHED = 10_000;

export class Authenticator {
  private readonly cache = new Map<string, { caller: Caller; expires: number }>();

  constructor(
    private readonly accountContext: InternalGraphQLClient,
    private readonly ttlMs: number,
  ) {}

  async authenticate(apiKey: string | undefined, customerToken: string | undefined, requestId: string): Promise<Caller> {
    if (!apiKey) throw unauthenticated('Send an API key as "Authorization: Bearer <key>"');
    const cacheKey = createHash('sha256').update(apiKey).update('\0').update(customerToken ?? '').digest('hex');
    const hit = this.cache.get(cacheKey);
    if (hit && hit.expires > Date.now()) return hit.caller;

    let verified: { authenticate: { workspaceId: string; role: Role; subject: string; customerId: string | null } };
    try {
      verified = await this.accountContext.request(AUTHENTICATE, { apiKey, customerToken: customerToken ?? null }, {
        workspaceId: SYSTEM_WORKSPACE,
        role: 'system',
        subject: 'service:gateway',
        requestId,
      });
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.Unauthenticated) throw error;
      if (error instanceof DomainError && error.code === ErrorCode.Unavailable) throw error;
      throw unauthenticated('The credentials could not be verified');
    }
    const { workspaceId, role, subject, customerId } = verified.authenticate;
    const caller: Caller = { workspaceId, role, subject, ...(customerId ? { customerId } : {}) };
    if (this.ttlMs > 0) {
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(cacheKey, { caller, expires: Date.now() + this.ttlMs });
    }
    return caller;
  }
}
