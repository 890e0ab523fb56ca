/**
 * Decides whether a caller may spend asks and signals now. Every limited request draws from its API key's
 * bucket (all traffic of one widget) and from its asker's bucket: the signed-in customer (workspace and
 * customer id from the verified customer token) or, without a token, the anonymous visitor (workspace and
 * client address). Asks and signals have separate budgets, so rating answers never blocks the next question.
 * Buckets live in this process's memory: with several gateway replicas each keeps its own (README, "Rate limits").
 */
import { hash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import type { Caller } from './authenticator';
import type { GatewayConfig } from './config';
import type { LimitedCounts, LimitedKind } from './limited-operations';
import { Budget, Draw, TokenBuckets } from './token-buckets';

export type LimitScope = 'key' | 'customer' | 'visitor';

export type RateLimitBudgets = Record<LimitScope, Record<LimitedKind, Budget>>;

/** What the gateway knows about the client besides the verified caller. */
export interface ClientIdentity {
  apiKey: string;
  /** The client's address as Express resolved it (X-Forwarded-For only through TRUSTED_PROXY_HOPS proxies). */
  address: string;
}

export type Admission =
  | { admitted: true }
  | { admitted: false; scope: LimitScope; kind: LimitedKind; retryAfterMs: number }
  | { admitted: false; scope: LimitScope; kind: LimitedKind; tooLarge: { count: number; burst: number } };

export function rateLimitBudgets(config: GatewayConfig): RateLimitBudgets {
  const budget = (scope: LimitScope, kind: LimitedKind, perWindow: number, burst: number): Budget => ({
    name: `${scope} ${kind}`,
    burst,
    refillPerMs: perWindow / config.RATE_LIMIT_WINDOW_MS,
  });
  return {
    key: {
      asks: budget('key', 'asks', config.RATE_LIMIT_KEY_ASKS, config.RATE_LIMIT_KEY_ASKS_BURST),
      signals: budget('key', 'signals', config.RATE_LIMIT_KEY_SIGNALS, config.RATE_LIMIT_KEY_SIGNALS_BURST),
    },
    customer: {
      asks: budget('customer', 'asks', config.RATE_LIMIT_CUSTOMER_ASKS, config.RATE_LIMIT_CUSTOMER_ASKS_BURST),
      signals: budget('customer', 'signals', config.RATE_LIMIT_CUSTOMER_SIGNALS, config.RATE_LIMIT_CUSTOMER_SIGNALS_BURST),
    },
    visitor: {
      asks: budget('visitor', 'asks', config.RATE_LIMIT_VISITOR_ASKS, config.RATE_LIMIT_VISITOR_ASKS_BURST),
      signals: budget('visitor', 'signals', config.RATE_LIMIT_VISITOR_SIGNALS, config.RATE_LIMIT_VISITOR_SIGNALS_BURST),
    },
  };
}

export class RateLimiter {
  private readonly scopeOf = new Map<Budget, { scope: LimitScope; kind: LimitedKind }>();

  constructor(
    private readonly budgets: RateLimitBudgets,
    private readonly buckets: TokenBuckets,
  ) {
    for (const scope of Object.keys(budgets) as LimitScope[]) {
      for (const kind of Object.keys(budgets[scope]) as LimitedKind[]) this.scopeOf.set(budgets[scope][kind], { scope, kind });
    }
  }

  admit(caller: Caller, client: ClientIdentity, counts: LimitedCounts): Admission {
    // The key is hashed so the map never holds a usable credential.
    const keyId = hash('sha256', client.apiKey, 'base64url');
    const askerScope: LimitScope = caller.customerId ? 'customer' : 'visitor';
    const askerId = caller.customerId ? `${caller.workspaceId}/${caller.customerId}` : `${caller.workspaceId}/${visitorNetwork(client.address)}`;
    const draws: Draw[] = [];
    for (const kind of ['asks', 'signals'] as const) {
      const cost = counts[kind];
      if (cost === 0) continue;
      for (const [scope, id] of [['key', keyId], [askerScope, askerId]] as const) {
        const budget = this.budgets[scope][kind];
        if (cost > budget.burst) return { admitted: false, scope, kind, tooLarge: { count: cost, burst: budget.burst } };
        draws.push({ budget, id, cost });
      }
    }
    const verdict = this.buckets.take(draws);
    if (verdict.allowed) return { admitted: true };
    return { admitted: false, ...this.scopeOf.get(verdict.budget)!, retryAfterMs: verdict.retryAfterMs };
  }
}

/**
 * The unit an anonymous visitor is counted by: the IPv4 address, or the /64 network of an IPv6 address
 * (one subscriber usually holds a whole /64, so per-address buckets would let one person take 2^64 of them).
 */
export function visitorNetwork(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${(parsed as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16)).join(':')}::/64`;
}
