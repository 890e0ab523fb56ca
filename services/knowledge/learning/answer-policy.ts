/**
 * Learns, per topic and confidence scale, the confidence the AI needs to answer alone: the lowest threshold at
 * which the answers it would have given were right often enough to hold the workspace's target precision.
 * Retrieval's confidence (a lead in shares of the question's evidence), the intent model's (a margin of a
 * linear model) and a taught question's (its trigram similarity to the nearest question agents taught) are
 * different scales, so each has its own outcomes and its own threshold; an outcome
 * calibrates the scale that decided its turn. Until a (topic, scale) has enough evidence it uses that scale's
 * untaught bar, which is cautious: a hand-off is cheap, a confident wrong answer is not, and outcomes take the
 * bar down from there. A topic whose answers are never precise enough gets a threshold above 1: everything is
 * handed off (agents' reviews of those hand-offs keep grading the AI's candidate, so it can reopen).
 * Outcomes carry a weight (1 unless said otherwise; an anonymous visitor's counts less, see learning-trust.ts)
 * and count less the older they are (HALF_LIFE): the model behind the confidence keeps learning, so what it
 * got wrong long ago says less about it now. Samples are sums of weights; precision sums weight × recency.
 */
export const CONFIDENCE_SCALES = ['retrieval', 'intent', 'taught'] as const;
export type ConfidenceScale = (typeof CONFIDENCE_SCALES)[number];

/**
 * Until a (topic, intent) has MIN_SAMPLES outcomes: the bar for the intent model's confidence. Dev-chosen
 * (`npm run bench:operating-point`, dev split of train.csv, never test.csv): the lowest bar of 0.1 steps at which
 * the model's own decisions held the default target precision (95%) at every checkpoint of banking77 and bitext,
 * full stream and few-shot (0.6 fell to 90.9% on banking77 after 1% of the stream).
 */
export const DEFAULT_THRESHOLD = 0.7;
/**
 * Until then, the bar for retrieval's confidence (day one: nobody has taught anything yet, articles answer alone).
 * Dev-chosen (`npm run bench:day-one`, dev split of train.csv): the lowest round value at which the answers
 * given held 90% precision on both banking77 (77 articles) and bitext (27).
 */
export const DAY_ONE_THRESHOLD = 0.85;
/**
 * Until then, the bar for a taught question's similarity: a question this near (trigram similarity, as Postgres's
 * pg_trgm scores it) to one agents taught is answered from what they taught, when neither the intent model nor
 * retrieval is sure enough alone. Dev-chosen (`npm run bench:operating-point`, dev split of train.csv, never
 * test.csv): the lowest bar of 0.05 steps at which the answers it added beyond the model's held 95% precision at
 * every checkpoint of banking77 and bitext, full stream and few-shot (0.75 fell to 88.9% on banking77).
 */
export const TAUGHT_THRESHOLD = 0.8;
/** The untaught bar per scale. */
export const UNTAUGHT_THRESHOLD: Readonly<Record<ConfidenceScale, number>> = Object.freeze({ retrieval: DAY_ONE_THRESHOLD, intent: DEFAULT_THRESHOLD, taught: TAUGHT_THRESHOLD });
/** The bar for items an admin marked sensitive (or items in a sensitive topic), unless the workspace sets its own. */
export const DEFAULT_SENSITIVE_THRESHOLD = 0.95;
export const MIN_SAMPLES = 20;
export const WINDOW = 500;
/** An outcome this many decisive outcomes old (of its topic and scale) counts half as much as the newest. */
export const HALF_LIFE = 150;
export const HAND_OFF_ALL = 1.01;

export interface Outcome {
  confidence: number;
  correct: boolean;
  /** Who gave it (learning-trust.ts): what it counts towards MIN_SAMPLES and, times its recency, in the precision. */
  weight?: number;
  /** 1 for the newest outcome, halving every HALF_LIFE outcomes older (byRecency). */
  recency?: number;
}

export interface Calibration {
  threshold: number;
  samples: number;
  /** Precision of the answers at or above the threshold, or null when nothing would be answered. */
  precision: number | null;
}

/**
 * Each outcome's recency: `newestFirst[0]` counts fully, one HALF_LIFE older half. Age is the weight of the
 * newer outcomes, not their number, so that signals that count little (a flood of anonymous visitors, pooled
 * to VISITOR_POOL_CAP) cannot age the agents' evidence away.
 */
export function byRecency<T extends Outcome>(newestFirst: readonly T[], halfLife = HALF_LIFE): T[] {
  let age = 0;
  return newestFirst.map((o) => {
    const aged = { ...o, recency: 0.5 ** (age / halfLife) };
    age += o.weight ?? 1;
    return aged;
  });
}

/** One-sided 95% (z = 1.645): how sure a bound on a cut's precision must be. Not tuned: the textbook level. */
const BOUND_Z = 1.645;

/** Wilson score interval bounds of a precision of `correct` right in `answered` (weighted counts). */
export function wilsonBounds(correct: number, answered: number, z = BOUND_Z): { lower: number; upper: number } {
  if (answered <= 0) return { lower: 0, upper: 1 };
  const p = Math.min(1, Math.max(0, correct / answered));
  const z2 = z * z;
  const centre = p + z2 / (2 * answered);
  const spread = z * Math.sqrt((p * (1 - p)) / answered + z2 / (4 * answered * answered));
  const denominator = 1 + z2 / answered;
  return { lower: (centre - spread) / denominator, upper: (centre + spread) / denominator };
}

/**
 * The threshold the outcomes support, looking at each cut c (the answers at confidence ≥ c):
 * - down: the lowest cut at or below the untaught bar whose precision is proven, its Wilson lower bound
 *   (one-sided 95%) holding the target. Picking the lowest of many cuts favours a lucky one, so a point estimate
 *   (or one imagined miss) let the bar fall further than the precision it then delivered; a bound needs
 *   evidence, not luck (20 right answers in a row prove about 88%).
 * - hold: otherwise the untaught bar, as long as the answers at or above it are right often enough (or there
 *   are none).
 * - up: otherwise the lowest cut above which they are, or above 1 (everything handed off) when none is.
 * So a few early confident mistakes raise the bar only as far as they reach, instead of closing the topic
 * until they age out. `untaught` until the outcomes weigh MIN_SAMPLES.
 */
export function calibrateThreshold(outcomes: readonly Outcome[], targetPrecision: number, untaught: number = DEFAULT_THRESHOLD): Calibration {
  const samples = outcomes.reduce((sum, o) => sum + (o.weight ?? 1), 0);
  if (samples < MIN_SAMPLES) return { threshold: untaught, samples, precision: null };
  const weightOf = (o: Outcome) => (o.weight ?? 1) * (o.recency ?? 1);
  const sorted = [...outcomes].sort((a, b) => b.confidence - a.confidence);
  // Cuts from the top: each distinct confidence, with the weighted answers and right answers at or above it.
  const cuts: Array<{ confidence: number; answered: number; correct: number }> = [];
  let correct = 0;
  let answered = 0;
  for (let i = 0; i < sorted.length; i++) {
    answered += weightOf(sorted[i]!);
    if (sorted[i]!.correct) correct += weightOf(sorted[i]!);
    // Only cut between distinct confidences: every answer at the same confidence is in or out together.
    if (i + 1 < sorted.length && sorted[i + 1]!.confidence === sorted[i]!.confidence) continue;
    cuts.push({ confidence: sorted[i]!.confidence, answered, correct });
  }
  const at = (cut: { answered: number; correct: number } | undefined) => ({ answered: cut?.answered ?? 0, correct: cut?.correct ?? 0 });
  const precisionOf = (cut: { answered: number; correct: number }) => (cut.answered > 0 ? cut.correct / cut.answered : null);
  // Lowest proven-good cut (cuts run from the top down, so the last one found is the lowest).
  let proven: (typeof cuts)[number] | undefined;
  for (const cut of cuts) if (wilsonBounds(cut.correct, cut.answered).lower >= targetPrecision) proven = cut;
  if (proven && proven.confidence <= untaught) return { threshold: proven.confidence, samples, precision: precisionOf(proven) };
  const holds = (cut: { answered: number; correct: number }) => cut.answered === 0 || cut.correct / cut.answered >= targetPrecision;
  const atBar = at(cuts.filter((cut) => cut.confidence >= untaught).pop());
  if (holds(atBar)) return { threshold: untaught, samples, precision: precisionOf(atBar) };
  // Mistakes at or above the bar: the lowest cut above which the answers hold (answering strictly above it).
  for (let k = cuts.length - 1; k >= 0; k--) {
    const cut = cuts[k]!;
    if (cut.confidence < untaught) continue;
    const above = at(cuts[k - 1]);
    if (holds(above)) return { threshold: k > 0 ? nextAbove(cut.confidence) : HAND_OFF_ALL, samples, precision: precisionOf(above) };
  }
  return { threshold: HAND_OFF_ALL, samples, precision: null };
}

/** The smallest threshold that leaves out answers at `confidence` (thresholds are stored as Postgres `real`). */
function nextAbove(confidence: number): number {
  return Math.min(HAND_OFF_ALL, Math.fround(confidence) + 1e-6);
}
