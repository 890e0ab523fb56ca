/**
 * Failed authentications per client address (the visitor's network, as rate limits count visitors): a wrong key
 * or a made-up customer token costs account-context a lookup (and for a token, a decryption and a signature
 * check), and no verdict can be cached for it. Past the budget, the address is refused outright with
 * RATE_LIMITED until a token refills, before anything is verified: one client cannot keep account-context busy
 * with credentials that fail. Verified requests draw nothing.
 */
import { visitorNetwork } from './rate-limiter';
import type { Budget, TokenBuckets } from './token-buckets';

/** Addresses held refused at once; past it, the oldest refusal is forgotten (its bucket still remembers). */
const MAX_REFUSED = 10_000;

export class AuthFailureLimit {
  /** Network → when (monotonic ms) it may try again. */
  private readonly refusedUntil = new Map<string, number>();

  constructor(
    private readonly buckets: TokenBuckets,
    private readonly budget: Budget,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Milliseconds until this address may authenticate again; 0 when it may now. */
  waitFor(address: string): number {
    const network = visitorNetwork(address);
    const until = this.refusedUntil.get(network);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left > 0) return left;
    this.refusedUntil.delete(network);
    return 0;
  }

  /** An authentication from this address failed. */
  failed(address: string): void {
    const network = visitorNetwork(address);
    const verdict = this.buckets.take([{ budget: this.budget, id: network, cost: 1 }]);
    if (verdict.allowed) return;
    if (this.refusedUntil.size >= MAX_REFUSED && !this.refusedUntil.has(network)) this.refusedUntil.delete(this.refusedUntil.keys().next().value as string);
    this.refusedUntil.set(network, this.now() + verdict.retryAfterMs);
  }
}
