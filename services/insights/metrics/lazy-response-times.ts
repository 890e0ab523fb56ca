/**
 * Response times are the costly part of the support figures (exact quantiles keep and sort every conversation's
 * time in the range), so Workspace.support computes them only when a query asks for a time field: for the totals,
 * for the buckets, or for both in one pass when a query asks for both. GraphQL resolves every field of one
 * response in the same turn of the event loop once `support` has returned, so the first ask waits for that turn
 * to end and sees every scope asked for; a scope asked for later gets a query of its own.
 */
import type { TimesScope } from './support-metrics.queries';
import { NO_TIMES, ResponseTimes, ResponseTimesByScope } from './support-metrics.service';

type Part = 'range' | 'buckets';

export class LazyResponseTimes {
  private readonly asked = new Set<Part>();
  /** The scope the load was started with; undefined until the turn that asked first has ended. */
  private started?: TimesScope;
  private result?: Promise<ResponseTimesByScope>;

  constructor(private readonly load: (scope: TimesScope) => Promise<ResponseTimesByScope>) {}

  /** The range's times. */
  range(): Promise<ResponseTimes> {
    return this.of('range').then((times) => times.range);
  }

  /** The times of the bucket starting `start`. */
  bucket(start: string): Promise<ResponseTimes> {
    return this.of('buckets').then((times) => times.buckets.get(start) ?? NO_TIMES);
  }

  private of(part: Part): Promise<ResponseTimesByScope> {
    if (this.result && this.started === undefined) {
      this.asked.add(part);
      return this.result;
    }
    if (this.result) return covers(this.started!, part) ? this.result : this.load(part);
    this.asked.add(part);
    this.result = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.started = this.asked.size === 2 ? 'both' : part;
      return this.load(this.started);
    });
    return this.result;
  }
}

const covers = (scope: TimesScope, part: Part) => scope === 'both' || scope === part;
