/** What the benchmarks share: a seeded random source, latency distributions, bounded concurrency, option parsing and the machine's description. */

import os from 'node:os';
import pLimit from 'p-limit';

export { prng } from '../../services/shared/random';

export interface Distribution {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  min: number;
}

/** Nearest-rank percentiles, rounded to 0.1. */
export function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    n: sorted.length,
    mean: round(sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1)),
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    min: round(sorted[0] ?? NaN),
  };
}

/** `fn` over items with at most `concurrency` running at once (p-limit); results in input order, the first failure rejects. */
export async function mapConcurrent<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const limit = pLimit(concurrency);
  return Promise.all(items.map((item, index) => limit(() => fn(item, index))));
}

/** A command-line option's value as a whole number from `min` to `max` (`_` may group digits: 10_000_000); otherwise an error naming the option. */
export function intOption(name: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(String(value).replace(/_/g, ''));
  if (!Number.isInteger(n) || n < min || n > max) {
    const allowed = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new Error(`--${name} must be an integer ${allowed}; got ${value}`);
  }
  return n;
}

/** A comma list of whole numbers, each checked as intOption checks one. */
export const intListOption = (name: string, value: string | undefined, min: number): number[] => String(value).split(',').map((item) => intOption(name, item, min));

/** A comma list of which each item must be one of `allowed`; otherwise an error naming the option, the unknown items and what it allows. */
export function choiceListOption<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T[] {
  const items = String(value).split(',').map((item) => item.trim());
  const unknown = items.filter((item) => !allowed.includes(item as T));
  if (unknown.length > 0) throw new Error(`--${name}: unknown ${unknown.join(', ')} (one of ${allowed.join(', ')})`);
  return items as T[];
}

/** The machine in one line: cores (model), memory. */
const machineLine = () => `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB`;

/** The 1, 5 and 15-minute load averages (now, unless given), as "0.52 0.61 0.70". */
export const loadAverages = (load = os.loadavg()) => load.map((l) => l.toFixed(2)).join(' ');

/**
 * The machine and its load before and after a run (the load read now), as the relay and warehouse results open
 * their setup: the machine is shared, so a figure is read beside what else was running.
 */
export const machineAndLoad = (loadAverageAtStart: string) => ({ machine: machineLine(), loadAverageAtStart, loadAverageAtEnd: loadAverages() });

/** The machine a run was measured on, as the ask-latency and escalations results record it. */
export function machineSetup(): { node: string; cpu: string; cpus: number; memoryGiB: number } {
  const cpus = os.cpus();
  return { node: process.version, cpu: cpus[0]?.model ?? 'unknown', cpus: cpus.length, memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10 };
}

/** Runs a benchmark's main when its file is the script node was started with, not when another file imports it; a failure exits 1. */
export function runIfScript(entry: NodeModule, main: () => Promise<void>): void {
  if (require.main !== entry) return;
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
