/**
 * A question as a sparse feature vector for the intent model: word unigrams and bigrams (stemmed) and
 * character 3- to 5-grams inside words (which catch typos and word forms: "recieved", "transfered"), hashed
 * into a fixed space so the model needs no vocabulary. Each group is L2-normalised on its own, so a long
 * question's many character grams do not drown its words, then the whole vector is normalised. Words are the
 * shared tokeniser's, currency signs kept, every word kept (no stop words: the model weighs them itself), stemmed.
 */
import { stem, tokens } from '../../shared/text';

export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

/** 2^20 buckets: collisions are rare at support-question vocabularies (tens of thousands of grams). */
const BUCKETS = 1 << 20;

export interface FeatureOptions {
  /** Weight of the word group (uni- and bigrams) against the character group, before the final normalisation. */
  wordWeight: number;
  /** Character n-gram lengths, inside each word with its boundaries marked. */
  charMin: number;
  charMax: number;
}

/** Chosen on the banking77 dev split (README). */
export const FEATURE_DEFAULTS: Readonly<FeatureOptions> = Object.freeze({ wordWeight: 1, charMin: 3, charMax: 5 });

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units, salted by feature kind; `fnv` continues a hash over more text. */
function fnv(h: number, text: string, from = 0, to = text.length): number {
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

const bucket = (h: number) => (h >>> 0) % BUCKETS;

interface Group {
  indices: number[];
  values: number[];
}

/** A group's sorted unique indices, with sublinear counts (1 + ln n) scaled to unit length times `weight`. */
function normalisedGroup(hashes: number[], weight: number): Group {
  const sorted = Uint32Array.from(hashes).sort();
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    indices.push(sorted[i]!);
    values.push(1 + Math.log(j - i));
    i = j;
  }
  let norm = 0;
  for (const value of values) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < values.length; k++) values[k] = (weight * values[k]!) / norm;
  return { indices, values };
}

export function questionFeatures(text: string, options: Readonly<FeatureOptions> = FEATURE_DEFAULTS): SparseVector {
  const words = tokens(text, { currency: true }).map(stem);
  const wordHashes: number[] = [];
  const charHashes: number[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    wordHashes.push(bucket(fnv(FNV_OFFSET ^ 1, word)));
    if (i > 0) wordHashes.push(bucket(fnv(fnv(fnv(FNV_OFFSET ^ 2, words[i - 1]!), ' '), word)));
    const bounded = `<${word}>`;
    for (let n = options.charMin; n <= options.charMax; n++) for (let s = 0; s + n <= bounded.length; s++) charHashes.push(bucket(fnv(FNV_OFFSET ^ 3, bounded, s, s + n)));
  }
  // Each group normalised on its own, then merged (summed where indices meet) and normalised again.
  const a = normalisedGroup(wordHashes, options.wordWeight);
  const b = normalisedGroup(charHashes, 1);
  const indices = new Uint32Array(a.indices.length + b.indices.length);
  const values = new Float32Array(indices.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.indices.length || j < b.indices.length) {
    const ai = i < a.indices.length ? a.indices[i]! : Infinity;
    const bj = j < b.indices.length ? b.indices[j]! : Infinity;
    indices[k] = Math.min(ai, bj);
    values[k++] = (ai <= bj ? a.values[i++]! : 0) + (bj <= ai ? b.values[j++]! : 0);
  }
  let total = 0;
  for (let n = 0; n < k; n++) total += values[n]! * values[n]!;
  total = Math.sqrt(total) || 1;
  for (let n = 0; n < k; n++) values[n]! /= total;
  return { indices: indices.subarray(0, k), values: values.subarray(0, k) };
}
