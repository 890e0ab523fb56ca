/**
 * Runs one pass of background work (draining an outbox, dispatching workflow commands) every interval; after a
 * failure it backs off exponentially, up to a ceiling, and reports every so often instead of every time.
 * stop() waits for the pass in flight.
 */
export interface PollingLoopOptions {
  intervalMs: number;
  maxDelayMs?: number;
  /** Called on the first failure of a streak and then every 50th. */
  onFailure: (error: unknown, consecutiveFailures: number) => void;
}

export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly options: PollingLoopOptions,
  ) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.pass()
        .then(() => {
          this.failures = 0;
        })
        .catch((error: unknown) => {
          this.failures += 1;
          if (this.failures === 1 || this.failures % 50 === 0) this.options.onFailure(error, this.failures);
        })
        .finally(() => {
          if (this.stopped) return;
          const delay = Math.min(this.options.maxDelayMs ?? 5_000, this.options.intervalMs * 2 ** Math.min(this.failures, 5));
          this.timer = setTimeout(tick, delay);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
