/**
 * Learns, per topic, the confidence the AI needs to answer alone: the lowest threshold at which the answers it
 * would have given were right often enough to hold the workspace's target precision. Until a topic has enough
 * evidence it uses the default. A topic whose answers are never precise enough gets a threshold above 1:
 * everything is handed off until the evidence changes.
 */
export const DEFAULT_THRESHOLD = 0.2;
export const MIN_SAMPLES = 20;
export const WINDOW = 500;
export const HAND_OFF_ALL = 1.01;

export interface Outcome {
  confidence: number;
  correct: boolean;
}

export interface Calibration {
  threshold: number;
  samples: number;
  /** Precision of the answers at or above the threshold, or null when nothing would be answered. */
  precision: number | null;
}

export function calibrateThreshold(outcomes: readonly Outcome[], targetPrecision: number): Calibration {
  if (outcomes.length < MIN_SAMPLES) return { threshold: DEFAULT_THRESHOLD, samples: outcomes.length, precision: null };
  const sorted = [...outcomes].sort((a, b) => b.confidence - a.confidence);
  let correct = 0;
  let best: Calibration = { threshold: HAND_OFF_ALL, samples: outcomes.length, precision: null };
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.correct) correct++;
    // Only cut between distinct confidences: every answer at the same confidence is in or out together.
    if (i + 1 < sorted.length && sorted[i + 1]!.confidence === sorted[i]!.confidence) continue;
    const answered = i + 1;
    // One imagined wrong answer keeps a short run of luck from opening a topic too early.
    const cautious = correct / (answered + 1);
    if (cautious >= targetPrecision) best = { threshold: sorted[i]!.confidence, samples: outcomes.length, precision: correct / answered };
  }
  return best;
}
