/**
 * Groups the questions the AI could not answer (knowledge gaps) into clusters a support lead can act on: one
 * cluster per missing article, labelled with the words customers used.
 *
 * Method: TF-IDF vectors over stemmed content words, then agglomerative clustering with average linkage on cosine
 * similarity, merging the most similar pair until no pair reaches `minSimilarity`. Chosen because it needs no training or model, no fixed number of clusters (a quiet week yields
 * few, a launch week many), and its labels are explainable: they are the heaviest terms of the cluster's centroid.
 */
import { STOP_WORDS, stem, tokens } from '../../shared/text';
import { compareText } from '../compare-text';

export interface GapQuestion {
  text: string;
  /** occurrences in the current period */
  count: number;
  /** occurrences in the previous period of equal length */
  previousCount: number;
}

export interface QuestionCluster {
  /** 2-4 characteristic terms joined with ' / ', e.g. "refund / card / pending" (most weighted centroid terms, unstemmed surface forms as customers wrote them) */
  label: string;
  terms: string[];
  /** sum of count over members */
  volume: number;
  /** sum of previousCount over members */
  previousVolume: number;
  distinctQuestions: number;
  /** up to maxExamples member texts, most representative first (highest cosine to the cluster centroid, ties broken by count) */
  examples: string[];
}

/**
 * How the similarity of two clusters follows from their members' (Lance–Williams updates):
 *   average   mean cosine over all pairs of occurrences (UPGMA)
 *   complete  the least similar pair: no member is far from any other (tight, splits chains)
 *   single    the most similar pair: chains of near paraphrases join (a~b, b~c puts a with c)
 *   centroid  cosine of the occurrence-weighted mean vectors
 */
export type Linkage = 'average' | 'complete' | 'single' | 'centroid';
export const LINKAGES: readonly Linkage[] = ['average', 'complete', 'single', 'centroid'];

/**
 * What a question's vector is made of: `words`, TF-IDF over stemmed content words; `trigrams`, TF-IDF over the
 * character trigrams of its content words (shares stems and survives typos). Labels always come from words.
 */
export type Representation = 'words' | 'trigrams';
export const REPRESENTATIONS: readonly Representation[] = ['words', 'trigrams'];

export interface ClusteringOptions {
  /** similarity under which clusters are not merged; default per linkage, DEFAULT_MIN_SIMILARITY (0.15 for average) */
  minSimilarity?: number;
  /** default 'average' */
  linkage?: Linkage;
  /** default 'words' */
  representation?: Representation;
  /** default 3 */
  maxExamples?: number;
  /** default 2000: keep the most frequent (count+previousCount) distinct texts */
  maxQuestions?: number;
}

/**
 * Two short questions sharing one of their two or three distinctive terms score about 0.3-0.5; unrelated ones
 * about 0. Each linkage's threshold scored best for it against labelled intents on the dev split of train.csv
 * (npm run bench:gaps -- --linkages average,complete,single,centroid, thresholds 0.025-0.5, first 20 labels; mean F
 * over banking77 and bitext): centroid 0.275 → 0.692, average 0.15 → 0.685 (the default until then), complete 0.05
 * → 0.622, single 0.475 → 0.629. Centroid's lead held on the same split with 40 labels (0.653 against 0.644) and
 * all labels (0.610 against 0.600). Higher thresholds split one problem into several clusters by wording ("extra
 * fee" vs "extra charge"). Results: tests/benchmarks/results/gap-clustering-linkage.json.
 */
const DEFAULT_MIN_SIMILARITY: Record<Linkage, number> = { centroid: 0.275, average: 0.15, complete: 0.05, single: 0.475 };
/**
 * Average linkage stays the default although centroid at 0.275 scored 0.007 mean F higher on the dev split: that
 * lead sits on one grid point (0.25 and 0.30 score level with average) and is bought with purity (banking77 0.739 →
 * 0.636), i.e. clusters that mix intents, the very thing a support lead cannot act on.
 */
const DEFAULT_LINKAGE: Linkage = 'average';
const DEFAULT_REPRESENTATION: Representation = 'words';
const DEFAULT_MAX_EXAMPLES = 3;
const DEFAULT_MAX_QUESTIONS = 2000;
const MAX_LABEL_TERMS = 4;

type SparseVector = Map<number, number>;

interface DistinctQuestion {
  text: string;
  tokens: string[];
  count: number;
  previousCount: number;
  weight: number;
}

export function clusterQuestions(questions: readonly GapQuestion[], options: ClusteringOptions = {}): QuestionCluster[] {
  const linkage = options.linkage ?? DEFAULT_LINKAGE;
  const minSimilarity = options.minSimilarity ?? DEFAULT_MIN_SIMILARITY[linkage];
  const maxExamples = options.maxExamples ?? DEFAULT_MAX_EXAMPLES;
  // Questions with no terms left after stop words (e.g. "what can I do?") say nothing about a topic: they form no cluster.
  const withTerms = distinctQuestions(questions).filter((q) => q.tokens.some(isContentWord));
  const kept = mostFrequent(withTerms, options.maxQuestions ?? DEFAULT_MAX_QUESTIONS);
  const { vectors, surfaces } = wordVectors(kept);
  const compared = (options.representation ?? DEFAULT_REPRESENTATION) === 'trigrams' ? trigramVectors(kept) : vectors;
  const groups = agglomerate(cosineMatrix(compared), kept.map((q) => q.weight), minSimilarity, linkage);
  return groups
    .map((members) => describeCluster(members, kept, vectors, surfaces, maxExamples))
    .sort((a, b) => b.volume - a.volume || b.distinctQuestions - a.distinctQuestions || compareText(a.label, b.label));
}

/** The shared tokeniser's words, less one-letter and digits-only ones. Stems are keys only; labels show the words as written. */
function tokenize(text: string): string[] {
  return tokens(text).filter((t) => t.length > 1 && !/^\p{N}+$/u.test(t));
}

/** A word is dropped when it or its stem is a stop word ("getting", "needs"). */
const isContentWord = (token: string) => !STOP_WORDS.has(token) && !STOP_WORDS.has(stem(token));

/** Texts that normalise to the same tokens are one question: counts summed, shown with the spelling asked most often. */
function distinctQuestions(questions: readonly GapQuestion[]): DistinctQuestion[] {
  const byKey = new Map<string, DistinctQuestion>();
  const spellings = new Map<string, number>();
  for (const question of questions) {
    const tokens = tokenize(question.text);
    const key = tokens.join(' ');
    const entry = byKey.get(key) ?? { text: question.text, tokens, count: 0, previousCount: 0, weight: 0 };
    entry.count += question.count;
    entry.previousCount += question.previousCount;
    entry.weight = Math.max(1, entry.count + entry.previousCount);
    const asked = (spellings.get(question.text) ?? 0) + question.count + question.previousCount;
    spellings.set(question.text, asked);
    if (asked > (spellings.get(entry.text) ?? 0)) entry.text = question.text;
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

/** The `limit` most asked questions, still in input order so ties keep breaking by it. */
function mostFrequent(questions: DistinctQuestion[], limit: number): DistinctQuestion[] {
  if (questions.length <= limit) return questions;
  const ranked = questions.map((q, i) => ({ q, i })).sort((a, b) => b.q.weight - a.q.weight || a.i - b.i);
  const keep = new Set(ranked.slice(0, limit).map(({ q }) => q));
  return questions.filter((q) => keep.has(q));
}

/** Each stem's TF-IDF vector; each stem's surface is its most asked written form, for labels. */
function wordVectors(questions: DistinctQuestion[]): { vectors: SparseVector[]; surfaces: string[] } {
  const surfaceCounts = new Map<string, Map<string, number>>();
  const keys = questions.map((q) =>
    q.tokens.filter(isContentWord).map((token) => {
      const key = stem(token);
      const counts = surfaceCounts.get(key) ?? new Map<string, number>();
      counts.set(token, (counts.get(token) ?? 0) + q.weight);
      surfaceCounts.set(key, counts);
      return key;
    }),
  );
  const { vectors, ids } = tfidfVectors(keys);
  const surfaces: string[] = [];
  for (const [key, id] of ids) {
    surfaces[id] = [...surfaceCounts.get(key)!].reduce((best, next) => (next[1] > best[1] ? next : best))[0];
  }
  return { vectors, surfaces };
}

/** Character trigrams of each content word as written, padded at both ends ("#pin", "pin", "in#"). */
function trigramVectors(questions: DistinctQuestion[]): SparseVector[] {
  const trigrams = (word: string) => {
    const padded = `#${word}#`;
    return Array.from({ length: padded.length - 2 }, (_, i) => padded.slice(i, i + 3));
  };
  return tfidfVectors(questions.map((q) => q.tokens.filter(isContentWord).flatMap(trigrams))).vectors;
}

/** Sublinear tf (1 + ln tf), smoothed idf (ln((1 + n) / (1 + df)) + 1) over distinct questions, L2-normalised. */
function tfidfVectors(keysPerQuestion: string[][]): { vectors: SparseVector[]; ids: Map<string, number> } {
  const ids = new Map<string, number>();
  const termCounts = keysPerQuestion.map((keys) => {
    const counts = new Map<number, number>();
    for (const key of keys) {
      if (!ids.has(key)) ids.set(key, ids.size);
      const id = ids.get(key)!;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  });
  const df = new Array<number>(ids.size).fill(0);
  for (const counts of termCounts) for (const id of counts.keys()) df[id] += 1;
  const vectors = termCounts.map((counts) => {
    const vector: SparseVector = new Map();
    for (const [id, tf] of counts) {
      vector.set(id, (1 + Math.log(tf)) * (Math.log((1 + keysPerQuestion.length) / (1 + df[id])) + 1));
    }
    const norm = Math.hypot(...vector.values());
    for (const [id, value] of vector) vector.set(id, value / norm);
    return vector;
  });
  return { vectors, ids };
}

/**
 * All pairwise cosines (vectors are unit length, so dot products), accumulated through a term → questions index.
 * n² floats: 16 MB at the default 2000 questions, which is why maxQuestions exists.
 */
function cosineMatrix(vectors: SparseVector[]): Float32Array {
  const n = vectors.length;
  const postings = new Map<number, { question: number; value: number }[]>();
  vectors.forEach((vector, question) => {
    for (const [id, value] of vector) {
      const list = postings.get(id) ?? [];
      list.push({ question, value });
      postings.set(id, list);
    }
  });
  const sim = new Float32Array(n * n);
  for (const list of postings.values()) {
    for (let a = 0; a < list.length; a++) {
      const row = list[a].question * n;
      for (let b = a + 1; b < list.length; b++) sim[row + list[b].question] += list[a].value * list[b].value;
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sim[j * n + i] = sim[i * n + j];
  return sim;
}

/** Mean over all pairs of occurrences: a weighted mean of the two parts' similarities. */
const meanOfPairs = (ski: number, skj: number, wi: number, wj: number) => (wi * ski + wj * skj) / (wi + wj);

/**
 * The Lance–Williams update of each linkage, on cosine similarity: cluster k's similarity to the union of clusters
 * i and j (occurrence weights w_i, w_j) from s(k,i) and s(k,j). Centroid keeps average's mean over pairs and
 * divides it by the centroids' lengths when comparing (see agglomerate).
 */
const LANCE_WILLIAMS: Record<Linkage, (ski: number, skj: number, wi: number, wj: number) => number> = {
  average: meanOfPairs,
  centroid: meanOfPairs,
  complete: (ski, skj) => Math.min(ski, skj),
  single: (ski, skj) => Math.max(ski, skj),
};

/**
 * Agglomerative clustering weighted by occurrences: for average and centroid linkage a question asked 40 times
 * pulls its cluster 40 times as hard as one asked once (what support leads see is volume, not distinct wordings);
 * complete and single linkage look at one pair and so ignore weights. Merges the most similar pair while it
 * reaches minSimilarity. Updates the n² matrix in place (no second copy). Kept exact and O(n²) per typical merge
 * by caching each cluster's best neighbour and rescanning only the rows whose best neighbour took part in the
 * merge; every linkage only changes similarities to the merged cluster, so other rows stay valid. Ties go to input
 * order.
 *
 * Centroid: the cosine of the occurrence-weighted mean vectors. With m(i, j) the mean over pairs of occurrences
 * (kept in the matrix) and c(i) = m(i, i) = |centroid|² (self-pairs included, 1 for one question),
 * cos = m(i, j) / √(c(i) c(j)), and c(i∪j) = (w_i² c(i) + w_j² c(j) + 2 w_i w_j m(i, j)) / (w_i + w_j)².
 * (The textbook Euclidean centroid distance is no use with a cosine threshold here: the mean of unrelated unit
 * vectors shrinks towards the origin, so after a few merges every cluster looks close to every other.)
 */
function agglomerate(sim: Float32Array, weights: number[], minSimilarity: number, linkage: Linkage): number[][] {
  const update = LANCE_WILLIAMS[linkage];
  const n = weights.length;
  const weight = Float64Array.from(weights);
  const selfSimilarity = new Float64Array(n).fill(1);
  // 1 / |centroid| under centroid linkage, 1 (so similarities are the matrix's as they are) under the others.
  const scale = new Float64Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  // The active clusters in ascending order (so ties still go to input order), shrinking with each merge: scans cover
  // the clusters left, not every question ever seen.
  const alive = Int32Array.from(weights, (_, i) => i);
  let aliveCount = n;
  const members = weights.map((_, i) => [i]);
  const best = new Int32Array(n).fill(-1);
  const bestSim = new Float64Array(n);
  // The matrix stays symmetric, so every read is along a row (contiguous); only the writes to the merged cluster's
  // column stride through memory. At 2,000 questions a row is 8 KB, and reading columns missed the cache each time.
  const findBest = (i: number) => {
    const row = i * n;
    const scaleI = scale[i];
    let bestK = -1;
    let bestValue = -Infinity;
    for (let a = 0; a < aliveCount; a++) {
      const k = alive[a];
      if (k === i) continue;
      const similarity = sim[row + k] * scaleI * scale[k];
      if (similarity > bestValue) {
        bestK = k;
        bestValue = similarity;
      }
    }
    best[i] = bestK;
    bestSim[i] = bestValue;
  };
  for (let i = 0; i < n; i++) findBest(i);
  for (;;) {
    let top = -1;
    for (let a = 0; a < aliveCount; a++) {
      const i = alive[a];
      if (best[i] >= 0 && (top < 0 || bestSim[i] > bestSim[top])) top = i;
    }
    if (top < 0 || bestSim[top] < minSimilarity) break;
    const keep = Math.min(top, best[top]);
    const gone = Math.max(top, best[top]);
    const wKeep = weight[keep];
    const wGone = weight[gone];
    const keepRow = keep * n;
    const goneRow = gone * n;
    if (linkage === 'centroid') {
      selfSimilarity[keep] =
        (wKeep ** 2 * selfSimilarity[keep] + wGone ** 2 * selfSimilarity[gone] + 2 * wKeep * wGone * sim[keepRow + gone]) /
        (wKeep + wGone) ** 2;
    }
    for (let a = 0; a < aliveCount; a++) {
      const k = alive[a];
      if (k === keep || k === gone) continue;
      sim[k * n + keep] = sim[keepRow + k] = update(sim[keepRow + k], sim[goneRow + k], wKeep, wGone);
    }
    if (linkage === 'centroid') scale[keep] = 1 / Math.sqrt(selfSimilarity[keep]);
    weight[keep] += wGone;
    active[gone] = 0;
    const goneAt = alive.subarray(0, aliveCount).indexOf(gone);
    alive.copyWithin(goneAt, goneAt + 1, aliveCount);
    aliveCount -= 1;
    for (const m of members[gone]) members[keep].push(m);
    const scaleKeep = scale[keep];
    for (let a = 0; a < aliveCount; a++) {
      const k = alive[a];
      if (k === keep || best[k] === keep || best[k] === gone) {
        findBest(k);
        continue;
      }
      const toKeep = sim[keepRow + k] * scale[k] * scaleKeep;
      if (toKeep > bestSim[k] || (toKeep === bestSim[k] && keep < best[k])) {
        best[k] = keep;
        bestSim[k] = toKeep;
      }
    }
  }
  return members.filter((_, i) => active[i]);
}

function describeCluster(
  members: number[],
  questions: DistinctQuestion[],
  vectors: SparseVector[],
  surfaces: string[],
  maxExamples: number,
): QuestionCluster {
  const centroid: SparseVector = new Map();
  for (const m of members) {
    for (const [id, value] of vectors[m]) centroid.set(id, (centroid.get(id) ?? 0) + questions[m].weight * value);
  }
  const terms = labelTerms(centroid).map((id) => surfaces[id]);
  // Members are unit vectors, so ranking by dot product with the centroid is ranking by cosine to it.
  const closeness = (m: number) =>
    [...vectors[m]].reduce((sum, [id, value]) => sum + value * centroid.get(id)!, 0);
  const examples = members
    .map((m) => ({ m, closeness: closeness(m) }))
    .sort((a, b) => b.closeness - a.closeness || questions[b.m].count - questions[a.m].count || a.m - b.m)
    .slice(0, maxExamples)
    .map(({ m }) => questions[m].text);
  return {
    label: terms.join(' / '),
    terms,
    volume: members.reduce((sum, m) => sum + questions[m].count, 0),
    previousVolume: members.reduce((sum, m) => sum + questions[m].previousCount, 0),
    distinctQuestions: members.length,
    examples,
  };
}

/** The two heaviest centroid terms, plus up to two more that weigh at least half the heaviest. */
function labelTerms(centroid: SparseVector): number[] {
  const ranked = [...centroid].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const characteristic = ranked.filter(([, value], rank) => rank < 2 || (rank < MAX_LABEL_TERMS && value >= ranked[0][1] / 2));
  return characteristic.map(([id]) => id);
}
