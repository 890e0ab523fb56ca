/**
 * Learns, per topic, the confidence the AI needs to answer alone: the lowest threshold at which the answers it
 * would have given were right often enough to hold the workspace's target precision. Until a topic has enough
 * evidence it uses a default that depends on whose confidence it judges. A topic whose answers are never precise
 * enough gets a threshold above 1: everything is handed off until the evidence changes. Outcomes carry a weight
 * (1 unless said otherwise; an anonymous visitor's counts less, see learning-trust.ts): samples and precision are
 * sums of weights.
 */
/** Until a topic has MIN_SAMPLES outcomes: the bar for the intent model's confidence (its own scale). */
export const DEFAULT_THRESHOLD = 0.2;
/**
 * Until then, the bar for retrieval's confidence (day one: nobody has taught anything yet, articles answer alone).
 * Dev-chosen (`npm run bench:day-one`, dev splits of train.csv): the lowest round value at which the answers
 * given held 90% precision on both banking77 (77 articles) and bitext (27). It answers few questions; a hand-off
 * is cheap, a confident wrong answer is not, and the topic's own outcomes take the bar down from there.
 */
export const DAY_ONE_THRESHOLD = 0.85;
/** The bar for items an admin marked sensitive (or items in a sensitive topic), unless the workspace sets its own. */
export const DEFAULT_SENSITIVE_THRESHOLD = 0.95;
export const MIN_SAMPLES = 20;
export const WINDOW = 500;
export const HAND_OFF_ALL = 1.01;

export interface Outcome {
  confidence: number;
  correct: boolean;
  weight?: number;
}

export interface Calibration {
  threshold: number;
  samples: number;
  /** Precision of the answers at or above the threshold, or null when nothing would be answered. */
  precision: number | null;
}

export function calibrateThreshold(outcomes: readonly Outcome[], targetPrecision: number): Calibration {
  const weightOf = (o: Outcome) => o.weight ?? 1;
  const samples = outcomes.reduce((sum, o) => sum + weightOf(o), 0);
  if (samples < MIN_SAMPLES) return { threshold: DEFAULT_THRESHOLD, samples, precision: null };
  const sorted = [...outcomes].sort((a, b) => b.confidence - a.confidence);
  let correct = 0;
  let answered = 0;
  let best: Calibration = { threshold: HAND_OFF_ALL, samples, precision: null };
  for (let i = 0; i < sorted.length; i++) {
    answered += weightOf(sorted[i]!);
    if (sorted[i]!.correct) correct += weightOf(sorted[i]!);
    // Only cut between distinct confidences: every answer at the same confidence is in or out together.
    if (i + 1 < sorted.length && sorted[i + 1]!.confidence === sorted[i]!.confidence) continue;
    // One imagined wrong answer keeps a short run of luck from opening a topic too early.
    const cautious = correct / (answered + 1);
    if (cautious >= targetPrecision) best = { threshold: sorted[i]!.confidence, samples, precision: correct / answered };
  }
  return best;
}
