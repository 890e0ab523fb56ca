/**
 * Runs one pass of background work (draining an outbox, dispatching workflow commands) every interval; after a
 * failure it backs off exponentially, up to a ceiling, and reports every so often instead of every time.
 * wake() runs a pass now instead of at the next interval (after the pass in flight, if there is one), for work
 * that someone just announced; a pass that reports more work waiting is followed straight away by another.
 * stop() waits for the pass in flight.
 */
export interface PollingLoopOptions {
  intervalMs: number;
  maxDelayMs?: number;
  /** Called on the first failure of a streak and then every 50th. */
  onFailure: (error: unknown, consecutiveFailures: number) => void;
}

/** What a pass may return to say that it stopped short (a full batch) and another should follow at once. */
export const MORE_WAITING = Symbol('more work waiting');

export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private started = false;
  private failures = 0;
  /** A wake-up arrived while a pass was running: that pass may have missed the new work. */
  private wokenDuringPass = false;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly options: PollingLoopOptions,
  ) {}

  start(): void {
    this.started = true;
    this.tick();
  }

  /** Runs a pass as soon as possible; wake-ups that arrive together share one pass. */
  wake(): void {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.wokenDuringPass = true;
      return;
    }
    // Waiting for the timer: after a failure the backoff stands (a wake-up must not hammer a dead dependency).
    if (this.failures > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.tick();
  }

  private tick(): void {
    if (this.stopped) return;
    this.timer = undefined;
    this.wokenDuringPass = false;
    let more = false;
    this.running = this.pass()
      .then((result) => {
        this.failures = 0;
        more = result === MORE_WAITING;
      })
      .catch((error: unknown) => {
        this.failures += 1;
        if (this.failures === 1 || this.failures % 50 === 0) this.options.onFailure(error, this.failures);
      })
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        const again = this.failures === 0 && (more || this.wokenDuringPass);
        const delay = again ? 0 : Math.min(this.options.maxDelayMs ?? 5_000, this.options.intervalMs * 2 ** Math.min(this.failures, 5));
        this.timer = setTimeout(() => this.tick(), delay);
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
