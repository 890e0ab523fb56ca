/**
 * Token buckets in memory, one per (budget, identity). A bucket idle long enough to refill is the same as no
 * bucket, so memory stays bounded whatever identities callers bring: past the size bound, a sweep drops every
 * full bucket (forgetting nothing) and then, if that is not enough, the least recently used ones, down to 90%
 * of the bound so the sweep's cost is shared by the many inserts before the next one.
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
  budget: Budget;
}

export class TokenBuckets {
  private buckets = new Map<string, Bucket>();

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
    const buckets = draws.map((draw) => {
      if (draw.cost > draw.budget.burst) throw new RangeError(`a draw of ${draw.cost} can never fit the ${draw.budget.name} burst of ${draw.budget.burst}`);
      const key = keyOf(draw);
      const bucket = this.buckets.get(key);
      if (bucket) {
        bucket.tokens = levelOf(bucket, now);
        bucket.at = now;
        return bucket;
      }
      // Buckets are updated in place and a Map key is never deleted and set again: V8 keeps deleted entries
      // in their hash chain until the table is rebuilt, so re-inserting one hot key made every lookup of it slower.
      const created = { tokens: draw.budget.burst, at: now, budget: draw.budget };
      this.buckets.set(key, created);
      return created;
    });
    // A refused caller's buckets keep their tokens but count as just used: a caller that keeps hammering is
    // the last one whose drained bucket should be forgotten.
    let refusal: Verdict | undefined;
    draws.forEach((draw, i) => {
      if (buckets[i].tokens >= draw.cost) return;
      const retryAfterMs = (draw.cost - buckets[i].tokens) / draw.budget.refillPerMs;
      if (!refusal || (!refusal.allowed && retryAfterMs > refusal.retryAfterMs)) refusal = { allowed: false, budget: draw.budget, retryAfterMs };
    });
    if (!refusal) draws.forEach((draw, i) => (buckets[i].tokens -= draw.cost));
    if (this.buckets.size > this.maxBuckets) this.sweep(now);
    return refusal ?? { allowed: true };
  }

  private sweep(now: number): void {
    const target = Math.floor(this.maxBuckets * 0.9);
    let kept = [...this.buckets].filter(([, bucket]) => levelOf(bucket, now) < bucket.budget.burst);
    // Newest first; among equal times the later inserted wins (the sort is stable).
    if (kept.length > target) kept = kept.reverse().sort(([, a], [, b]) => b.at - a.at).slice(0, target);
    this.buckets = new Map(kept);
  }
}

const levelOf = (bucket: Bucket, now: number) => Math.min(bucket.budget.burst, bucket.tokens + (now - bucket.at) * bucket.budget.refillPerMs);

const keyOf = (draw: Draw) => `${draw.budget.name}\u0000${draw.id}`;
