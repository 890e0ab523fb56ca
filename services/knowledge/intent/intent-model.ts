/**
 * Which knowledge item answers a question, learned online: a multiclass passive-aggressive classifier (PA-II,
 * Crammer et al. 2006) over question features, one class per knowledge item. Each correction is one update of a
 * few hundred weights, applied the moment it is learned: no training run, no retraining cycle. An update moves
 * the question's true item up and the best wrong item down just enough to separate them by a margin of 1.
 *
 * Two more experts vote from the same per-item sums of example vectors: each item's centroid (cosine to the
 * question) and a multinomial naive Bayes log-likelihood (smoothed feature frequencies), added to the linear score
 * with a small weight. The linear model separates items that share words; the sums keep every example an item
 * was taught, so what was learned early is not worn away by later updates. A third vote reaches past shared words:
 * each example may bring its meaning (a dense unit vector, the mean of pretrained word vectors: word-vectors.ts),
 * summed per item like the features, and the cosine of the question's meaning to the item's sum is added with
 * `meaningWeight`.
 *
 * Memory is fixed per item: the question features (hashed into 2^20) are folded into `rows` buckets, and the
 * weights and the sums are two Float32Array matrices of rows × item columns, row-major so that scoring a question
 * reads, for each of its features, one contiguous run of cells (one per item). A workspace model is therefore
 * about rows × items × 8 bytes whatever the number of questions taught.
 */
import type { SparseVector } from './question-features';

export interface IntentModelOptions {
  /** Hashed feature buckets per item. */
  rows: number;
  /** Weight of the centroid's cosine vote next to the linear score. */
  centroidWeight: number;
  /** Weight of the naive Bayes log-likelihood (relative to the likeliest item) next to the linear score. */
  bayesWeight: number;
  /** Weight of the meaning vote: the cosine of the question's meaning vector to the item's sum of them. */
  meaningWeight: number;
  /** Length of the meaning vectors. */
  meaningDimensions: number;
}

/** Chosen on the banking77 dev split; the meaning weight on the banking77 and bitext dev splits with `npm run bench:choice` (README, *The answering loop*). */
export const INTENT_MODEL_DEFAULTS: Readonly<IntentModelOptions> = Object.freeze({ rows: 6144, centroidWeight: 1, bayesWeight: 0.05, meaningWeight: 2, meaningDimensions: 100 });

/** PA-II aggressiveness: larger follows each example more closely, smaller averages more. */
const AGGRESSIVENESS = 1;
/** Naive Bayes: additive smoothing per feature, over a nominal vocabulary of 2^20 features (the hash space before folding). */
const NB_SMOOTHING = 0.01;
const NB_PRIOR_MASS = NB_SMOOTHING * (1 << 20);
const LOG_SMOOTHING = Math.log(NB_SMOOTHING);

export interface IntentPrediction {
  itemId: string;
  score: number;
}

/** Columns double up to this many, then grow by this many at a time (each growth copies both matrices). */
const GROWTH = 16;

export class IntentModel {
  /** Column → item id (undefined: a free column). */
  private readonly itemIds: Array<string | undefined> = [];
  private readonly columnOf = new Map<string, number>();
  private readonly free: number[] = [];
  private capacity = 0;
  private weights = new Float32Array(0);
  /** Per column, the sum of the item's example vectors (its centroid, unnormalised). */
  private sums = new Float32Array(0);
  /** Per column: the squared norm of its sums, and their total mass (naive Bayes' denominator). */
  private sumNorms = new Float64Array(0);
  private masses = new Float64Array(0);
  /** Per column, the sum of its examples' meaning vectors (column-major: meaningDimensions floats per column), and its norm. */
  private meanings = new Float32Array(0);
  private meaningNorms = new Float64Array(0);
  readonly options: Readonly<IntentModelOptions>;
  examples = 0;

  constructor(options: Partial<IntentModelOptions> = {}) {
    this.options = { ...INTENT_MODEL_DEFAULTS, ...options };
    if (!Number.isInteger(this.options.rows) || this.options.rows < 1) throw new Error(`rows must be a positive integer, got ${this.options.rows}`);
  }

  get classes(): number {
    return this.columnOf.size;
  }

  /** Bytes held by the weights and sums (the model's size, give or take a few bytes per item). */
  get bytes(): number {
    return this.weights.byteLength + this.sums.byteLength + this.sumNorms.byteLength + this.masses.byteLength + this.meanings.byteLength + this.meaningNorms.byteLength;
  }

  has(itemId: string): boolean {
    return this.columnOf.has(itemId);
  }

  /** Scores of every item the model knows, best first; `meaning`: the question's meaning vector, when it has one. */
  rank(x: SparseVector, eligible?: (itemId: string) => boolean, meaning?: Float32Array | null): IntentPrediction[] {
    const rows = this.fold(x);
    const values = x.values;
    const { centroidWeight, bayesWeight, meaningWeight } = this.options;
    const width = this.itemIds.length;
    const linear = new Float64Array(width);
    const dots = new Float64Array(width);
    const bayes = new Float64Array(width);
    let questionMass = 0;
    for (let k = 0; k < rows.length; k++) {
      const value = values[k]!;
      questionMass += value;
      const base = rows[k]! * this.capacity;
      for (let c = 0; c < width; c++) {
        linear[c] += this.weights[base + c]! * value;
        const sum = this.sums[base + c]!;
        if (sum === 0) continue;
        dots[c] += sum * value;
        bayes[c] += value * (Math.log(sum + NB_SMOOTHING) - LOG_SMOOTHING);
      }
    }
    let bestBayes = -Infinity;
    const meanings = meaning && meaningWeight !== 0 ? new Float64Array(width) : undefined;
    let bestMeaning = -Infinity;
    for (let c = 0; c < width; c++) {
      if (this.itemIds[c] === undefined) continue;
      if (meanings) bestMeaning = Math.max(bestMeaning, (meanings[c] = this.meaningCosine(meaning!, c)));
      // Features the item never saw contribute x_f · log(α / (mass + αV)): only seen ones were looked up.
      bayes[c] += questionMass * (LOG_SMOOTHING - Math.log(this.masses[c]! + NB_PRIOR_MASS));
      if (bayes[c]! > bestBayes) bestBayes = bayes[c]!;
    }
    const ranked: IntentPrediction[] = [];
    for (let c = 0; c < width; c++) {
      const itemId = this.itemIds[c];
      if (itemId === undefined || (eligible && !eligible(itemId))) continue;
      // Naive Bayes and the meaning vote relative to the item they favour most (which gets 0): they reorder items
      // without moving the scale of the linear score, so a workspace with a single item still answers on that score
      // alone. (Averaged word vectors of unrelated sentences still have a cosine of 0.3–0.6: an absolute vote made a
      // lone item's score, and so its confidence against no rival, look surer of anything asked.)
      let score = linear[c]! + (centroidWeight * dots[c]!) / Math.sqrt(this.sumNorms[c]! || 1) + bayesWeight * (bayes[c]! - bestBayes);
      if (meanings) score += meaningWeight * (meanings[c]! - bestMeaning);
      ranked.push({ itemId, score });
    }
    return ranked.sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  }

  /** The cosine of a question's meaning to column c's sum of meanings (0 while the item has none). */
  private meaningCosine(meaning: Float32Array, c: number): number {
    const norm = this.meaningNorms[c]!;
    if (norm === 0) return 0;
    const dimensions = this.options.meaningDimensions;
    const base = c * dimensions;
    let dot = 0;
    for (let d = 0; d < dimensions; d++) dot += meaning[d]! * this.meanings[base + d]!;
    return dot / Math.sqrt(norm);
  }

  /**
   * Learns one example of `itemId`: it joins the item's sums, and the linear model takes one update towards it.
   * `mayRival`: which items the update may push down as the rival (item-scope.ts); every item when absent.
   */
  learn(x: SparseVector, itemId: string, meaning?: Float32Array | null, mayRival?: (itemId: string) => boolean): void {
    const { rows, c } = this.addToSums(x, itemId, meaning);
    this.update(rows, x.values, c, mayRival);
  }

  /**
   * Seeds `itemId` with an example that only joins its sums (the centroid and naive Bayes votes), without a
   * linear update: O(features), whatever the number of items, where an update costs O(features × items). Article
   * text is seeded this way, so a help centre of thousands of articles builds in seconds.
   */
  seed(x: SparseVector, itemId: string, meaning?: Float32Array | null): void {
    this.addToSums(x, itemId, meaning);
  }

  private addToSums(x: SparseVector, itemId: string, meaning?: Float32Array | null): { rows: Int32Array; c: number } {
    this.examples++;
    const c = this.column(itemId);
    const rows = this.fold(x);
    let norm = this.sumNorms[c]!;
    for (let k = 0; k < rows.length; k++) {
      const cell = rows[k]! * this.capacity + c;
      const before = this.sums[cell]!;
      this.sums[cell] = before + x.values[k]!;
      const after = this.sums[cell]!;
      norm += after * after - before * before;
      this.masses[c] += x.values[k]!;
    }
    this.sumNorms[c] = norm;
    if (meaning) this.addMeaning(c, meaning);
    return { rows, c };
  }

  /** Adds a meaning vector (or another column's sum of them) to column c's sum of meanings. */
  private addMeaning(c: number, from: Float32Array): void {
    const dimensions = this.options.meaningDimensions;
    if (from.length !== dimensions) throw new Error(`a meaning vector needs ${dimensions} dimensions, got ${from.length}`);
    const base = c * dimensions;
    let norm = 0;
    for (let d = 0; d < dimensions; d++) {
      const sum = this.meanings[base + d]! + from[d]!;
      this.meanings[base + d] = sum;
      norm += sum * sum;
    }
    this.meaningNorms[c] = norm;
  }

  /** One online update of the linear model towards `itemId` (a replayed example: the sums already hold it). */
  sharpen(x: SparseVector, itemId: string, mayRival?: (itemId: string) => boolean): void {
    this.update(this.fold(x), x.values, this.column(itemId), mayRival);
  }

  /** Forget an item entirely (archived, edited, superseded, reverted). */
  forget(itemId: string): void {
    const c = this.columnOf.get(itemId);
    if (c === undefined) return;
    this.clear(c);
    this.columnOf.delete(itemId);
    this.itemIds[c] = undefined;
    this.free.push(c);
  }

  /** `itemId`'s examples now belong to `successorId` (their sums move over); `itemId` is forgotten. */
  merge(itemId: string, successorId: string): void {
    const from = this.columnOf.get(itemId);
    if (from === undefined || itemId === successorId) return;
    const into = this.column(successorId);
    let norm = 0;
    for (let row = 0; row < this.options.rows; row++) {
      const base = row * this.capacity;
      const sum = this.sums[base + into]! + this.sums[base + from]!;
      this.sums[base + into] = sum;
      norm += sum * sum;
    }
    this.sumNorms[into] = norm;
    this.masses[into] += this.masses[from]!;
    if (this.meaningNorms[from]! > 0) this.addMeaning(into, this.meanings.slice(from * this.options.meaningDimensions, (from + 1) * this.options.meaningDimensions));
    this.forget(itemId);
  }

  private update(rows: Int32Array, values: Float32Array, own: number, mayRival?: (itemId: string) => boolean): void {
    const width = this.itemIds.length;
    const scores = new Float64Array(width);
    for (let k = 0; k < rows.length; k++) {
      const base = rows[k]! * this.capacity;
      for (let c = 0; c < width; c++) scores[c] += this.weights[base + c]! * values[k]!;
    }
    let rival = -1;
    for (let c = 0; c < width; c++) {
      const itemId = this.itemIds[c];
      if (c === own || itemId === undefined || (rival >= 0 && scores[c]! <= scores[rival]!)) continue;
      if (!mayRival || mayRival(itemId)) rival = c;
    }
    const loss = Math.max(0, 1 - (scores[own]! - (rival >= 0 ? scores[rival]! : 0)));
    if (loss === 0) return;
    let squaredNorm = 0;
    for (let k = 0; k < values.length; k++) squaredNorm += values[k]! ** 2;
    // Both the true item and the rival move by tau, so the margin moves by 2·tau·|x|².
    const tau = loss / (2 * squaredNorm + 1 / (2 * AGGRESSIVENESS));
    for (let k = 0; k < rows.length; k++) {
      const base = rows[k]! * this.capacity;
      this.weights[base + own] += tau * values[k]!;
      if (rival >= 0) this.weights[base + rival] -= tau * values[k]!;
    }
  }

  /** Makes room for `items` items in all, in one growth (a build that knows how many articles are coming). */
  reserve(items: number): void {
    const needed = items - this.free.length;
    if (needed > this.capacity) this.grow(needed);
  }

  /** The column of an item, taking a free one or growing the matrices for a new item. */
  private column(itemId: string): number {
    let c = this.columnOf.get(itemId);
    if (c !== undefined) return c;
    c = this.free.pop();
    if (c === undefined) {
      c = this.itemIds.length;
      if (c === this.capacity) this.grow(this.capacity < GROWTH ? Math.max(4, this.capacity * 2) : this.capacity + GROWTH);
      this.itemIds.push(undefined);
    }
    this.itemIds[c] = itemId;
    this.columnOf.set(itemId, c);
    return c;
  }

  private grow(capacity: number): void {
    const rows = this.options.rows;
    const widen = (old: Float32Array) => {
      const wider = new Float32Array(rows * capacity);
      for (let row = 0; row < rows; row++) wider.set(old.subarray(row * this.capacity, (row + 1) * this.capacity), row * capacity);
      return wider;
    };
    this.weights = widen(this.weights);
    this.sums = widen(this.sums);
    const longer = (old: Float64Array) => {
      const out = new Float64Array(capacity);
      out.set(old);
      return out;
    };
    this.sumNorms = longer(this.sumNorms);
    this.masses = longer(this.masses);
    this.meaningNorms = longer(this.meaningNorms);
    const meanings = new Float32Array(capacity * this.options.meaningDimensions);
    meanings.set(this.meanings);
    this.meanings = meanings;
    this.capacity = capacity;
  }

  private clear(c: number): void {
    for (let row = 0; row < this.options.rows; row++) {
      this.weights[row * this.capacity + c] = 0;
      this.sums[row * this.capacity + c] = 0;
    }
    this.sumNorms[c] = 0;
    this.masses[c] = 0;
    this.meanings.fill(0, c * this.options.meaningDimensions, (c + 1) * this.options.meaningDimensions);
    this.meaningNorms[c] = 0;
  }

  /** The feature indices folded into this model's rows. */
  private fold(x: SparseVector): Int32Array {
    const rows = new Int32Array(x.indices.length);
    for (let k = 0; k < rows.length; k++) rows[k] = x.indices[k]! % this.options.rows;
    return rows;
  }
}
