/**
 * The tuning split: a fixed-seed, label-stratified share of train.csv held out as a dev set. Every constant chosen
 * by looking at results is chosen on it; test.csv is only for reporting.
 */
import type { LabelledQuestion } from './dataset';
import { shuffled } from './dataset';

export const DEV_SEED = 20261203;
export const DEV_SHARE = 0.15;

export interface DevSplit {
  /** What the model is taught, in a seeded stream order. */
  stream: LabelledQuestion[];
  dev: LabelledQuestion[];
}

/** `share` of each label's questions (at least one, never all) go to dev; the split does not depend on the stream seed. */
export function devSplit(train: readonly LabelledQuestion[], share = DEV_SHARE, seed = DEV_SEED): DevSplit {
  const byLabel = new Map<string, LabelledQuestion[]>();
  for (const q of shuffled(train, seed)) byLabel.set(q.label, [...(byLabel.get(q.label) ?? []), q]);
  const dev = new Set<LabelledQuestion>();
  for (const questions of byLabel.values()) {
    const n = Math.min(questions.length - 1, Math.max(1, Math.round(questions.length * share)));
    for (const q of questions.slice(0, n)) dev.add(q);
  }
  return { stream: train.filter((q) => !dev.has(q)), dev: train.filter((q) => dev.has(q)) };
}
