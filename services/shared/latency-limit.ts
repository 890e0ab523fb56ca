/**
 * How many requests a process should work on at once, learned from how long they take. A fixed bound cannot know
 * it: past the point where the cores are busy, each request more in flight only waits, so the right bound is about
 * throughput × acceptable latency, and both change with the machine, the workload and whether a language model
 * writes the answers (then requests wait on the model, not on the cores, and many may run at once). This follows
 * the idea of TCP Vegas and Netflix's concurrency limiters (ideas only, no code): keep the mean latency of the work
 * within `tolerance` times its latency when nothing queues, by raising the bound by one while requests come back
 * within that and cutting it by a quarter when they do not (additive increase, multiplicative decrease: it settles
 * just under the point where queueing starts and backs off fast from overload). It is cut only for requests that
 * ran together (a slow request alone is slow for another reason), and starts at the ceiling.
 *
 * The unloaded latency is the mean time of the requests that ran (nearly) alone (an exponentially weighted
 * mean, so it follows a lasting change such as more knowledge to search or a model answering); a stretch of
 * continuous load, where every request waited, leaves it as it was. Until some request has run nearly alone, the
 * fastest of all stands in. A mean, not the fastest request: asks differ (a long question searches more), and
 * against the fastest one, asks running alone already look queued.
 * Pure: it is given durations and answers the bound; the caller times the work.
 */

export interface LatencyLimitOptions {
  /** The bound never goes above this (the configured ceiling). */
  max: number;
  /** Latency allowed, as a multiple of the unloaded latency, before the bound is cut (2: queueing may double it). */
  tolerance: number;
  /** The bound at start (default `max`: a cold process takes what the fixed bound took until it has learned). */
  initial?: number;
}

/** The bound is judged on the mean latency of at least this many completions (and never fewer than the bound). */
const MIN_WINDOW = 5;
const DECREASE = 0.75;
/**
 * A request that had on average at most this many in flight over its life (itself included) ran alone enough to be
 * the baseline. Near one: a single ask already keeps more than one process of the stack busy.
 */
const UNLOADED_IN_FLIGHT = 1.25;
/** Weight of each new nearly-alone request in the unloaded mean (about the last twenty count). */
const UNLOADED_WEIGHT = 0.05;

export class LatencyLimit {
  private bound: number;
  private unloadedMean = NaN;
  private fastestAny = Infinity;
  private windowSum = 0;
  private windowCount = 0;
  private windowInFlight = 0;

  constructor(private readonly options: LatencyLimitOptions) {
    if (!(options.tolerance > 1)) throw new RangeError('tolerance must be above 1: at 1 no request could ever wait');
    if (!(options.max >= 1)) throw new RangeError('max must be at least 1');
    this.bound = Math.min(options.max, Math.max(1, options.initial ?? options.max));
  }

  /** Requests that may run at once now (at least one). */
  get current(): number {
    return Math.max(1, Math.floor(this.bound));
  }

  /** The unloaded latency the bound is judged against (Infinity before the first completion). */
  get unloadedMs(): number {
    return Number.isNaN(this.unloadedMean) ? this.fastestAny : this.unloadedMean;
  }

  /**
   * Records one completed request: how long it took, how many were in flight on average over its life (itself
   * included), and how many were in flight when it ended (itself included).
   */
  record(durationMs: number, meanInFlight: number, endedWith: number): void {
    this.observeUnloaded(durationMs, meanInFlight);
    this.windowSum += durationMs;
    this.windowInFlight += meanInFlight;
    this.windowCount += 1;
    if (this.windowCount < Math.max(MIN_WINDOW, this.current)) return;
    const mean = this.windowSum / this.windowCount;
    // Requests that mostly ran alone were slow for some other reason (a cold cache, a slow peer): fewer in flight
    // would not make them faster.
    const overlapped = this.windowInFlight / this.windowCount >= 2;
    this.windowSum = 0;
    this.windowInFlight = 0;
    this.windowCount = 0;
    if (mean > this.options.tolerance * this.unloadedMs) {
      if (overlapped) this.bound = Math.max(1, this.bound * DECREASE);
    } else if (endedWith >= this.current - 1) {
      // Raised only when the bound was (nearly) reached: a process that is not busy proves nothing about a higher one.
      this.bound = Math.min(this.options.max, Math.floor(this.bound) + 1);
    }
  }

  private observeUnloaded(durationMs: number, meanInFlight: number): void {
    this.fastestAny = Math.min(this.fastestAny, durationMs);
    if (meanInFlight > UNLOADED_IN_FLIGHT) return;
    this.unloadedMean = Number.isNaN(this.unloadedMean) ? durationMs : this.unloadedMean + UNLOADED_WEIGHT * (durationMs - this.unloadedMean);
  }
}
