/**
 * Token buckets in memory, one per (budget, identity). A bucket idle long enough to refill is the same as no
 * bucket, so the store is a size-bounded LRU map: evicting the least recently used bucket forgets at most a
 * partly drained one, and memory stays bounded whatever identities callers bring.
 */

export interface Budget {
  /** Names the budget in refusals and metrics, e.g. "visitor asks". */
  readonly name: string;
  /** Tokens a full bucket holds: how many requests may come at once. */
  readonly burst: number;
  readonly refillPerMs: number;
}

export interface Draw {
  readonly budget: Budget;
  /** Who the bucket belongs to, within the budget. */
  readonly id: string;
  readonly cost: number;
}

export type Verdict = { allowed: true } | { allowed: false; budget: Budget; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly maxBuckets: number,
    /** Milliseconds on a monotonic clock; tests pass their own. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  get size(): number {
    return this.buckets.size;
  }

  /**
   * Takes each draw's cost from its bucket, or nothing at all when any bucket lacks the tokens (so a refusal
   * by one budget does not spend another). A refusal names the budget that needs the longest wait, and that
   * wait: after it, the same draws succeed if nothing else drew meanwhile.
   */
  take(draws: readonly Draw[]): Verdict {
    const now = this.now();
    const levels = draws.map((draw) => this.level(draw, now));
    let refusal: Verdict | undefined;
    draws.forEach((draw, i) => {
      if (draw.cost > draw.budget.burst) throw new RangeError(`a draw of ${draw.cost} can never fit the ${draw.budget.name} burst of ${draw.budget.burst}`);
      if (levels[i] >= draw.cost) return;
      const retryAfterMs = (draw.cost - levels[i]) / draw.budget.refillPerMs;
      if (!refusal || (!refusal.allowed && retryAfterMs > refusal.retryAfterMs)) refusal = { allowed: false, budget: draw.budget, retryAfterMs };
    });
    // A refused caller's buckets are stored unchanged, which marks them recently used: a caller that keeps
    // hammering is the last one whose drained bucket should be forgotten.
    draws.forEach((draw, i) => this.store(keyOf(draw), { tokens: refusal ? levels[i] : levels[i] - draw.cost, at: now }));
    return refusal ?? { allowed: true };
  }

  private level(draw: Draw, now: number): number {
    const bucket = this.buckets.get(keyOf(draw));
    if (!bucket) return draw.budget.burst;
    return Math.min(draw.budget.burst, bucket.tokens + (now - bucket.at) * draw.budget.refillPerMs);
  }

  private store(key: string, bucket: Bucket): void {
    // Re-inserting moves the key to the end of the Map's order, which makes the first key the least recently used.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}

const keyOf = (draw: Draw) => `${draw.budget.name}\u0000${draw.id}`;
