/**
 * A bound on how much of one kind of work a process does at once, refusing the excess rather than queueing it.
 * Past the point where the process (and its database pool) is busy, each extra request in flight only waits, so
 * a queue would turn overload into seconds of latency for everyone; a refusal tells the client to come back
 * later and keeps the accepted requests fast. Refused work has not started: the caller checks before any write.
 * (p-limit and its kin queue the excess, which is the behaviour this replaces.) With a LatencyLimit the bound in
 * force is the one it learns from the work's durations, never above `limit`.
 */
import { DomainError, ErrorCode } from './errors';
import type { LatencyLimit } from './latency-limit';

export interface InFlightLimitOptions {
  /** At most this many run at once. */
  limit: number;
  /** What the refusal says, e.g. "This service is answering as many questions as it can". */
  refusal: string;
  /** Whole seconds a refused client should wait before retrying (extensions.details.retryAfterSeconds). */
  retryAfterSeconds: number;
  onRefused?: () => void;
  /** Learns the bound in force (at most `limit`) from how long the work takes; without it the bound is `limit`. */
  adaptive?: LatencyLimit;
  /** Milliseconds from any origin (default performance.now); tests pass their own. */
  clock?: () => number;
}

export class InFlightLimit {
  private running = 0;
  /** ∫ running dt since the start (ms), and when `running` last changed: a request's mean company is Δarea / Δt. */
  private area = 0;
  private changedAt: number;
  private readonly clock: () => number;

  constructor(private readonly options: InFlightLimitOptions) {
    this.clock = options.clock ?? performance.now.bind(performance);
    this.changedAt = this.clock();
  }

  get inFlight(): number {
    return this.running;
  }

  /** The bound in force now. */
  get limit(): number {
    return Math.min(this.options.limit, this.options.adaptive?.current ?? Infinity);
  }

  /**
   * Runs `work` if a slot is free; otherwise throws UNAVAILABLE without calling it. `measured` says, once the work
   * has succeeded, whether its duration tells the adaptive bound anything (a stored result replayed does not).
   */
  async run<T>(work: () => Promise<T>, measured: () => boolean = () => true): Promise<T> {
    if (this.running >= this.limit) {
      this.options.onRefused?.();
      throw new DomainError(ErrorCode.Unavailable, `${this.options.refusal}; retry in ${this.options.retryAfterSeconds} s`, {
        retryAfterSeconds: this.options.retryAfterSeconds,
      });
    }
    const started = this.step(+1);
    const areaAtStart = this.area;
    try {
      const result = await work();
      // Only work done in full teaches the bound: bad input or a replay returns early and says nothing of load.
      if (measured() && this.options.adaptive) {
        const ended = this.step(0);
        const durationMs = ended - started;
        this.options.adaptive.record(durationMs, durationMs > 0 ? (this.area - areaAtStart) / durationMs : this.running, this.running);
      }
      return result;
    } finally {
      this.step(-1);
    }
  }

  /** Brings the area up to now, then changes `running` by `by`; returns now. */
  private step(by: number): number {
    const now = this.clock();
    this.area += this.running * (now - this.changedAt);
    this.changedAt = now;
    this.running += by;
    return now;
  }
}
