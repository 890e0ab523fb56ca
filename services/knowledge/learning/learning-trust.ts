/**
 * The learning-trust rule: customer signals are evidence, not commands. Who gave a signal decides how much it
 * weighs, how often it counts, and whether it may teach a question. The numbers are here and in the README
 * ("Learning-trust rule"); they were chosen by reasoning about the attack (a visitor can open as many
 * anonymous conversations as the rate limits allow), not tuned on any data set.
 */
import type { Outcome } from './answer-policy';

export const SOURCE_KINDS = ['customer', 'visitor', 'agent'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface OutcomeSource {
  kind: SourceKind;
  /** Customer id, anonymous visitor's conversation id, or agent subject. */
  id: string;
}

/** What one signal weighs: an anonymous visitor proves nothing about who they are, so counts a quarter. */
export const SOURCE_WEIGHT: Record<SourceKind, number> = { agent: 1, customer: 1, visitor: 0.25 };

/**
 * Every anonymous visitor together counts as at most this many signed-in customers: per item in ranking
 * evidence (where only their complaints count: item-evidence.ts), per topic in threshold calibration. Without
 * a pool cap, a quarter each is no defence against a hundred fresh conversations.
 */
export const VISITOR_POOL_CAP = 2;

/** Distinct signed-in customers who must confirm an item for similar questions before one of them is learned. */
export const CORROBORATING_CUSTOMERS = 3;
/** Good evidence on an item held back as unconfirmed: praise lifts it only from the CORROBORATING_CUSTOMERS-th customer on. */
export const UNCORROBORATED_PRAISE = CORROBORATING_CUSTOMERS - 1;
/** How alike (pg_trgm similarity) two confirmed questions must be to corroborate each other. */
export const CORROBORATION_SIMILARITY = 0.45;
/** Confirmations older than this no longer corroborate anything. */
export const CORROBORATION_WINDOW_DAYS = 90;

/**
 * The key under which a customer's or visitor's verdicts on an item replace each other (one counts per item),
 * or null for agents, whose signals each count.
 */
export function voterKey(source: OutcomeSource): string | null {
  return source.kind === 'agent' ? null : `${source.kind}:${source.id}`;
}

/** An outcome for calibration, with who gave it. */
export interface WeighedOutcome extends Outcome {
  weight: number;
  visitor: boolean;
}

/** Scales anonymous visitors' outcomes down so that together they weigh at most VISITOR_POOL_CAP. */
export function poolVisitors(outcomes: readonly WeighedOutcome[]): Outcome[] {
  const visitorWeight = outcomes.filter((o) => o.visitor).reduce((sum, o) => sum + o.weight, 0);
  const scale = visitorWeight > VISITOR_POOL_CAP ? VISITOR_POOL_CAP / visitorWeight : 1;
  return outcomes.map((o) => ({ confidence: o.confidence, correct: o.correct, weight: o.visitor ? o.weight * scale : o.weight }));
}

/**
 * Implicit signals weigh less than anything a person said. A drop-off (the customer left after an answer with
 * no rating, resolution or follow-up within the workspace's window) may as well be a customer who got what they
 * needed as one who gave up, so it counts as a quarter of a complaint from the same source.
 */
export const DROP_OFF_WEIGHT = 0.25;
/**
 * A resolution this long after the answer says less that the answer did it (the customer may have found the
 * answer elsewhere, or come back to close the window): it counts SLOW_RESOLUTION_WEIGHT of a quick one.
 */
export const SLOW_RESOLUTION_SECONDS = 3_600;
export const SLOW_RESOLUTION_WEIGHT = 0.5;

/** How much one signal counts, before who gave it (SOURCE_WEIGHT) multiplies it. */
export function signalWeight(signal: string, secondsToResolution: number | null = null): number {
  if (signal === 'dropped_off') return DROP_OFF_WEIGHT;
  if (signal === 'resolved' && secondsToResolution !== null && secondsToResolution > SLOW_RESOLUTION_SECONDS) return SLOW_RESOLUTION_WEIGHT;
  return 1;
}
