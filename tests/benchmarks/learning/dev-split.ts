/**
 * The tuning split, one for every benchmark (bench:learning, bench:intent, bench:day-one, bench:gaps): a tenth
 * of each label's train.csv questions, chosen with a fixed seed that no run changes. Every constant chosen by
 * looking at results is chosen on it (never on test.csv), and the learning benchmark leaves it out of the
 * stream, so the system never learns from the questions its constants were tuned on.
 */
import type { LabelledQuestion } from './dataset';
import { takePerLabel } from './dataset';

export const DEV_SPLIT = { seed: 20_261_203, fraction: 0.1 } as const;

export interface TrainSplit {
  dev: LabelledQuestion[];
  /** train.csv without the dev questions, in file order. */
  rest: LabelledQuestion[];
}

/** `fraction` of each label's questions (at least one of a label with two or more) go to dev. */
export function devSplit(train: readonly LabelledQuestion[], split: { seed: number; fraction: number } = DEV_SPLIT): TrainSplit {
  const { taken, rest } = takePerLabel(train, (n) => (n < 2 ? 0 : Math.max(1, Math.round(n * split.fraction))), split.seed);
  return { dev: taken, rest };
}
