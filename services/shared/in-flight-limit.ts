/**
 * A bound on how much of one kind of work a process does at once, refusing the excess rather than queueing it.
 * Past the point where the process (and its database pool) is busy, each extra request in flight only waits, so
 * a queue would turn overload into seconds of latency for everyone; a refusal tells the client to come back
 * later and keeps the accepted requests fast. Refused work has not started: the caller checks before any write.
 * (p-limit and its kin queue the excess, which is the behaviour this replaces.)
 */
import { DomainError, ErrorCode } from './errors';

export interface InFlightLimitOptions {
  /** At most this many run at once. */
  limit: number;
  /** What the refusal says, e.g. "This service is answering as many questions as it can". */
  refusal: string;
  /** Whole seconds a refused client should wait before retrying (extensions.details.retryAfterSeconds). */
  retryAfterSeconds: number;
  onRefused?: () => void;
}

export class InFlightLimit {
  private running = 0;

  constructor(private readonly options: InFlightLimitOptions) {}

  get inFlight(): number {
    return this.running;
  }

  /** Runs `work` if a slot is free; otherwise throws UNAVAILABLE without calling it. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.limit) {
      this.options.onRefused?.();
      throw new DomainError(ErrorCode.Unavailable, `${this.options.refusal}; retry in ${this.options.retryAfterSeconds} s`, {
        retryAfterSeconds: this.options.retryAfterSeconds,
      });
    }
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
    }
  }
}
