/**
 * A question as a sparse feature vector for the intent model: word unigrams and bigrams (lightly stemmed) and
 * character 3- to 5-grams inside words (which catch typos and word forms: "recieved", "transfered"), hashed
 * into a fixed space so the model needs no vocabulary. Each group is L2-normalised on its own, so a long
 * question's many character grams do not drown its words, then the whole vector is normalised.
 */

export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

/** 2^20 buckets: collisions are rare at support-question vocabularies (tens of thousands of grams). */
const BUCKETS = 1 << 20;
const WORD_WEIGHT = 1;
const CHAR_WEIGHT = 1;

/** FNV-1a over UTF-16 code units, salted by feature kind. */
function hash(kind: number, text: string): number {
  let h = 0x811c9dc5 ^ kind;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % BUCKETS;
}

/** Plural and verb endings only: enough to meet "cards"/"card", "charged"/"charge" halfway. */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('es') && /(ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

export function tokens(text: string): string[] {
  return (text.toLowerCase().replace(/['’]/g, '').match(/[\p{L}\p{N}€$£]+/gu) ?? []).filter((t) => t.length > 0);
}

export function questionFeatures(text: string): SparseVector {
  const words = tokens(text).map(stem);
  const wordCounts = new Map<number, number>();
  const charCounts = new Map<number, number>();
  const add = (counts: Map<number, number>, index: number) => counts.set(index, (counts.get(index) ?? 0) + 1);
  words.forEach((word, i) => {
    add(wordCounts, hash(1, word));
    if (i > 0) add(wordCounts, hash(2, `${words[i - 1]} ${word}`));
    const bounded = `<${word}>`;
    for (let n = 3; n <= 5; n++) for (let s = 0; s + n <= bounded.length; s++) add(charCounts, hash(3, bounded.slice(s, s + n)));
  });
  const merged = new Map<number, number>();
  for (const [counts, weight] of [
    [wordCounts, WORD_WEIGHT],
    [charCounts, CHAR_WEIGHT],
  ] as const) {
    let norm = 0;
    for (const count of counts.values()) norm += (1 + Math.log(count)) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (const [index, count] of counts) merged.set(index, (merged.get(index) ?? 0) + (weight * (1 + Math.log(count))) / norm);
  }
  let total = 0;
  for (const value of merged.values()) total += value * value;
  total = Math.sqrt(total) || 1;
  const indices = new Uint32Array(merged.size);
  const values = new Float32Array(merged.size);
  let k = 0;
  for (const [index, value] of merged) {
    indices[k] = index;
    values[k++] = value / total;
  }
  return { indices, values };
}
