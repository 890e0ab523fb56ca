/**
 * Prometheus figures about answers: how many were answered or handed off (and why), how long asking took, and how
 * many asks were shed under overload.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class AnswerMetrics {
  readonly decisions: Counter<'decision' | 'reason'>;
  readonly askLatency: Histogram<'decision'>;
  readonly shedAsks: Counter;
  /** Where the bound on asks in flight is read at each scrape (watchAskBound); 0 until it is set. */
  private askBound: () => number = () => 0;

  /** Without a registry (schema generation) the metrics are kept but exported nowhere. */
  constructor(registry?: Registry) {
    const registers = registry ? [registry] : [];
    this.decisions = new Counter({
      name: 'loopdesk_answer_decisions_total',
      help: 'AI turns by decision (answered, handed_off) and hand-off reason',
      labelNames: ['decision', 'reason'] as const,
      registers,
    });
    this.askLatency = new Histogram({
      name: 'loopdesk_ask_duration_seconds',
      help: 'Time to answer or hand off a question, inside the conversation service',
      labelNames: ['decision'] as const,
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8],
      registers,
    });
    this.shedAsks = new Counter({
      name: 'loopdesk_asks_shed_total',
      help: 'Asks refused with UNAVAILABLE because as many as the bound in force were already in flight in this process',
      registers,
    });
    const metrics = this;
    new Gauge({
      name: 'loopdesk_ask_concurrency_limit',
      help: 'Asks this process takes at once now (learned from ask latency, at most MAX_CONCURRENT_ASKS)',
      registers,
      collect() {
        this.set(metrics.askBound());
      },
    });
  }

  /** The bound on asks in flight in force (learned below MAX_CONCURRENT_ASKS), exported at each scrape. */
  watchAskBound(bound: () => number): void {
    this.askBound = bound;
  }

  record(decision: string, reason: string | null, latencyMs: number): void {
    this.decisions.inc({ decision, reason: reason ?? '' });
    this.askLatency.observe({ decision }, latencyMs / 1000);
  }
}
