/** Scores for one checkpoint over the test questions: pure functions of (correct, confidence, decision). */

export interface ScoredAnswer {
  /** The top answer is grounded in the question's label. */
  correct: boolean;
  confidence: number;
  /** The system would answer on its own at its current thresholds. */
  answered: boolean;
}

export interface CheckpointScore {
  top1: number;
  /** Largest share of questions the confidence can answer alone with ≥ `precisionTarget` of them right. */
  automationAtPrecision: number;
  /** Confidence at that cut (answers at or above it are automated); null when no cut reaches the precision. */
  confidenceCut: number | null;
  /** Share handed off at the workspace's current thresholds. */
  handOffRate: number;
  /** Of the answers it would give at its current thresholds, the share that are right. */
  answeredPrecision: number | null;
}

export function scoreCheckpoint(answers: readonly ScoredAnswer[], precisionTarget = 0.95): CheckpointScore {
  const n = answers.length;
  if (n === 0) return { top1: 0, automationAtPrecision: 0, confidenceCut: null, handOffRate: 0, answeredPrecision: null };
  const byConfidence = [...answers].sort((a, b) => b.confidence - a.confidence);
  let right = 0;
  let best = 0;
  let cut: number | null = null;
  for (let k = 0; k < byConfidence.length; k++) {
    right += byConfidence[k]!.correct ? 1 : 0;
    // Only cut between different confidences: answers that tie are automated together or not at all.
    const next = byConfidence[k + 1];
    if (next && next.confidence === byConfidence[k]!.confidence) continue;
    if (right / (k + 1) >= precisionTarget) {
      best = k + 1;
      cut = byConfidence[k]!.confidence;
    }
  }
  const answered = answers.filter((a) => a.answered);
  return {
    top1: answers.filter((a) => a.correct).length / n,
    automationAtPrecision: best / n,
    confidenceCut: cut,
    handOffRate: 1 - answered.length / n,
    answeredPrecision: answered.length ? answered.filter((a) => a.correct).length / answered.length : null,
  };
}
