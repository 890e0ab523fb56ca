/**
 * Progress of long command-line work (imports, report generation, benchmark loops) as counted lines:
 *   import: 1,500/10,000 articles (15%), 420/s, about 20 s left
 * at most one line every few seconds and always a last one, so a terminal, a CI log and a file read the same
 * (nothing is redrawn). Work that cannot be counted gets a heartbeat instead (`whileWaiting`).
 */

export interface ProgressOptions {
  /** What is counted, plural: "articles", "questions". */
  unit: string;
  /** Omitted when the end is unknown: lines then show the count and the rate only. */
  total?: number;
  /** At most one line per this many milliseconds (the last line is always written). Default 5 s. */
  everyMs?: number;
  /** Where lines go; default stderr, so a command's own output on stdout stays clean. */
  write?: (line: string) => void;
  /** Milliseconds, for tests; default performance.now. */
  now?: () => number;
}

const DEFAULT_EVERY_MS = 5_000;
const count = (n: number) => Math.round(n).toLocaleString('en-US');
const toStderr = (line: string) => void process.stderr.write(`${line}\n`);

/** "42 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '—';
  return perSecond >= 10 ? count(perSecond) : perSecond.toFixed(1);
}

export class Progress {
  private done = 0;
  private readonly started: number;
  private lastLineAt: number;
  private finished = false;
  private readonly write: (line: string) => void;
  private readonly now: () => number;
  private readonly everyMs: number;

  constructor(
    private readonly label: string,
    private readonly options: ProgressOptions,
  ) {
    this.write = options.write ?? toStderr;
    this.now = options.now ?? (() => performance.now());
    this.everyMs = options.everyMs ?? DEFAULT_EVERY_MS;
    this.started = this.now();
    this.lastLineAt = this.started;
  }

  /** Counts finished work; writes a line when the last one is old enough. */
  advance(by = 1): void {
    this.done += by;
    const now = this.now();
    if (now - this.lastLineAt < this.everyMs) return;
    this.lastLineAt = now;
    this.write(this.line(now));
  }

  /** The last line: how much, how long, how fast. Once. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const elapsed = this.now() - this.started;
    const total = this.options.total !== undefined ? `/${count(this.options.total)}` : '';
    this.write(`${this.label}: ${count(this.done)}${total} ${this.options.unit} in ${formatDuration(elapsed)} (${formatRate(this.done / (elapsed / 1000))}/s)`);
  }

  private line(now: number): string {
    const elapsedSeconds = (now - this.started) / 1000;
    const rate = this.done / elapsedSeconds;
    const { total, unit } = this.options;
    if (total === undefined || total <= 0) return `${this.label}: ${count(this.done)} ${unit}, ${formatRate(rate)}/s`;
    const share = Math.min(100, Math.floor((100 * this.done) / total));
    const left = rate > 0 ? `about ${formatDuration((1000 * Math.max(0, total - this.done)) / rate)} left` : 'no estimate yet';
    return `${this.label}: ${count(this.done)}/${count(total)} ${unit} (${share}%), ${formatRate(rate)}/s, ${left}`;
  }
}

/** For one long call that cannot be counted: "<label>: still waiting after 15 s" every few seconds until it settles. */
export async function whileWaiting<T>(label: string, work: Promise<T>, options: Pick<ProgressOptions, 'everyMs' | 'write'> = {}): Promise<T> {
  const write = options.write ?? toStderr;
  const started = performance.now();
  const timer = setInterval(() => write(`${label}: still waiting after ${formatDuration(performance.now() - started)}`), options.everyMs ?? DEFAULT_EVERY_MS);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
