/**
 * Ranking and confidence, as pure functions. An item's relevance is the better of its passage match and its
 * learned-question match; outcome evidence scales it (items that keep failing sink, items that keep resolving
 * rise); stale items are discounted. Confidence is the winner's score shrunk by how close the runner-up is.
 */
export interface CandidateEvidence {
  passageRelevance: number;
  variantRelevance: number;
  good: number;
  bad: number;
  stale: boolean;
}

/** Beta(1,1) posterior mean of "this item helps", mapped to a factor in [0.5, 1.5]. */
export function evidenceFactor(good: number, bad: number): number {
  return 0.5 + (good + 1) / (good + bad + 2);
}

export const STALE_DISCOUNT = 0.5;

export function itemScore(candidate: CandidateEvidence): number {
  const relevance = Math.min(1, Math.max(candidate.passageRelevance, candidate.variantRelevance * 1.1));
  const score = relevance * evidenceFactor(candidate.good, candidate.bad) * (candidate.stale ? STALE_DISCOUNT : 1);
  return Math.min(1, score);
}

export function confidenceOf(best: number, runnerUp: number): number {
  if (best <= 0) return 0;
  const margin = Math.max(0, best - runnerUp) / best;
  return Math.min(1, best * (0.6 + 0.4 * margin));
}

/**
 * Confidence of the intent model's choice, from its margin over the runner-up (the model is trained to separate
 * the right item by 1): 1 − e^(−margin × evidence), where evidence scales it by the item's outcomes like retrieval
 * scores are (an item that keeps failing loses confidence; one that keeps resolving gains). Smooth and never
 * capped, so answers keep their order all the way up: a cap would tie every clear case at 1, and a threshold
 * could then not tell the surest answers from merely sure ones.
 */
export function intentConfidence(best: number, runnerUp: number, good: number, bad: number): number {
  const margin = Math.max(0, best - runnerUp);
  return 1 - Math.exp(-margin * (evidenceFactor(good, bad) / 1.5 + 1 / 3));
}
