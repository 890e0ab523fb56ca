/**
 * Which knowledge item answers a question, learned online: a multiclass passive-aggressive classifier (PA-II,
 * Crammer et al. 2006) over question features, one class per knowledge item. Each correction is one update of a
 * few hundred weights, applied the moment it is learned: no training run, no retraining cycle. An update moves
 * the question's true item up and the best wrong item down just enough to separate them by a margin of 1.
 *
 * Weights are stored per feature (feature → item → weight), so scoring a question touches only the weights of
 * its own features, whatever the number of items.
 *
 * Two more experts vote from the same per-item sums of example vectors: each item's centroid (cosine to the
 * question) and a multinomial naive Bayes log-likelihood (Laplace-smoothed feature frequencies), added to the
 * linear score with a small weight. The linear model separates items that share words; the sums keep every
 * example an item was taught, so what was learned early is not worn away by later updates.
 */
import type { SparseVector } from './question-features';

/** PA-II aggressiveness: larger follows each example more closely, smaller averages more. */
const AGGRESSIVENESS = 1;
/** Naive Bayes: additive smoothing per feature, and the weight of its log-likelihood next to the linear score. */
const NB_SMOOTHING = 0.01;
const NB_WEIGHT = 0.05;
/** The hashed feature space (question-features.ts), for the smoothing's denominator. */
const FEATURE_SPACE = 1 << 20;

export interface IntentPrediction {
  itemId: string;
  score: number;
}

export class IntentModel {
  private readonly weights = new Map<number, Map<string, number>>();
  /** Per feature, per item: the sum of that item's example vectors (its centroid, unnormalised). */
  private readonly sums = new Map<number, Map<string, number>>();
  private readonly sumNorms = new Map<string, number>();
  /** Per item: the total mass of its example vectors (naive Bayes' denominator). */
  private readonly masses = new Map<string, number>();
  private readonly known = new Set<string>();
  examples = 0;

  constructor(
    private readonly centroidWeight = 1,
    private readonly bayesWeight = NB_WEIGHT,
  ) {}

  get classes(): number {
    return this.known.size;
  }

  /** Scores of every item the model knows (and of any it only has weights for), best first. */
  rank(x: SparseVector, eligible?: (itemId: string) => boolean): IntentPrediction[] {
    const scores = this.linearScores(x);
    if (this.centroidWeight > 0) {
      const dots = new Map<string, number>();
      for (let k = 0; k < x.indices.length; k++) {
        const row = this.sums.get(x.indices[k]!);
        if (!row) continue;
        const value = x.values[k]!;
        for (const [itemId, sum] of row) dots.set(itemId, (dots.get(itemId) ?? 0) + sum * value);
      }
      for (const [itemId, dot] of dots) scores.set(itemId, (scores.get(itemId) ?? 0) + (this.centroidWeight * dot) / Math.sqrt(this.sumNorms.get(itemId) || 1));
    }
    if (this.bayesWeight > 0) for (const [itemId, logLikelihood] of this.bayesScores(x)) scores.set(itemId, (scores.get(itemId) ?? 0) + this.bayesWeight * logLikelihood);
    return [...scores]
      .filter(([itemId]) => !eligible || eligible(itemId))
      .map(([itemId, score]) => ({ itemId, score }))
      .sort((a, b) => b.score - a.score || a.itemId.localeCompare(b.itemId));
  }

  /**
   * Σ_f x_f · log P(f | item), up to a constant shared by all items (the best item scores 0): features an item never saw contribute
   * x_f · log(α / (mass + αV)), so only the question's features that the item has seen are looked up.
   */
  private bayesScores(x: SparseVector): Map<string, number> {
    let questionMass = 0;
    for (let k = 0; k < x.values.length; k++) questionMass += x.values[k]!;
    const scores = new Map<string, number>();
    const unseen = Math.log(NB_SMOOTHING);
    for (const [itemId, mass] of this.masses) scores.set(itemId, questionMass * (unseen - Math.log(mass + NB_SMOOTHING * FEATURE_SPACE)));
    for (let k = 0; k < x.indices.length; k++) {
      const row = this.sums.get(x.indices[k]!);
      if (!row) continue;
      const value = x.values[k]!;
      for (const [itemId, sum] of row) if (scores.has(itemId)) scores.set(itemId, scores.get(itemId)! + value * (Math.log(sum + NB_SMOOTHING) - unseen));
    }
    // Relative to the likeliest item (which gets 0): the vote reorders items without moving the scale of the
    // linear score, so a workspace with a single item still answers on that score alone.
    let best = -Infinity;
    for (const score of scores.values()) if (score > best) best = score;
    for (const [itemId, score] of scores) scores.set(itemId, score - best);
    return scores;
  }

  private linearScores(x: SparseVector): Map<string, number> {
    const scores = new Map<string, number>();
    for (let k = 0; k < x.indices.length; k++) {
      const row = this.weights.get(x.indices[k]!);
      if (!row) continue;
      const value = x.values[k]!;
      for (const [itemId, weight] of row) scores.set(itemId, (scores.get(itemId) ?? 0) + weight * value);
    }
    return scores;
  }

  /** One online update towards `itemId` for this question. */
  learn(x: SparseVector, itemId: string): void {
    this.examples++;
    this.known.add(itemId);
    this.addToCentroid(x, itemId);
    const ranked = [...this.linearScores(x)].map(([id, score]) => ({ itemId: id, score })).sort((a, b) => b.score - a.score);
    const own = ranked.find((p) => p.itemId === itemId)?.score ?? 0;
    const rival = ranked.find((p) => p.itemId !== itemId);
    const rivalScore = rival?.score ?? 0;
    const loss = Math.max(0, 1 - (own - rivalScore));
    if (loss === 0) return;
    let squaredNorm = 0;
    for (let k = 0; k < x.values.length; k++) squaredNorm += x.values[k]! ** 2;
    // Both the true item and the rival move by tau, so the margin moves by 2·tau·|x|².
    const tau = loss / (2 * squaredNorm + 1 / (2 * AGGRESSIVENESS));
    this.add(x, itemId, tau);
    if (rival) this.add(x, rival.itemId, -tau);
  }

  /** Forget an item entirely (archived, superseded, reverted). */
  forget(itemId: string): void {
    if (!this.known.delete(itemId)) return;
    for (const row of this.weights.values()) row.delete(itemId);
    for (const row of this.sums.values()) row.delete(itemId);
    this.sumNorms.delete(itemId);
    this.masses.delete(itemId);
  }

  private addToCentroid(x: SparseVector, itemId: string): void {
    let norm = this.sumNorms.get(itemId) ?? 0;
    let mass = this.masses.get(itemId) ?? 0;
    for (let k = 0; k < x.indices.length; k++) {
      mass += x.values[k]!;
      const index = x.indices[k]!;
      let row = this.sums.get(index);
      if (!row) this.sums.set(index, (row = new Map()));
      const before = row.get(itemId) ?? 0;
      const after = before + x.values[k]!;
      row.set(itemId, after);
      norm += after * after - before * before;
    }
    this.sumNorms.set(itemId, norm);
    this.masses.set(itemId, mass);
  }

  private add(x: SparseVector, itemId: string, step: number): void {
    for (let k = 0; k < x.indices.length; k++) {
      const index = x.indices[k]!;
      let row = this.weights.get(index);
      if (!row) this.weights.set(index, (row = new Map()));
      row.set(itemId, (row.get(itemId) ?? 0) + step * x.values[k]!);
    }
  }
}
