/**
 * Trigram similarity as pg_trgm computes it (`similarity(a, b)`), for ranking in this process what Postgres
 * used to rank: each run of letters and digits, lower-cased, padded with two spaces before and one after, gives
 * its three-character windows; the similarity of two texts is their shared trigrams over all their trigrams.
 * pg_trgm hashes trigrams of multi-byte characters into three bytes, which can (rarely) make two of them equal;
 * here they are compared as written. tests/integration/trigram-similarity.test.ts checks it against Postgres.
 */

/** The distinct trigrams of a text. */
export function trigrams(text: string): Set<string> {
  const found = new Set<string>();
  for (const [word] of text.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const padded = [' ', ' ', ...word, ' '];
    for (let i = 0; i + 3 <= padded.length; i++) found.add(padded[i]! + padded[i + 1]! + padded[i + 2]!);
  }
  return found;
}

/** pg_trgm's similarity of two trigram sets: shared over the union, 0 when either is empty. */
export function trigramSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const trigram of small) if (large.has(trigram)) shared++;
  return similarityOfShared(shared, a.size, b.size);
}

/** The same, from how many trigrams two sets of these sizes share (for callers that count them their own way). */
export function similarityOfShared(shared: number, sizeA: number, sizeB: number): number {
  return sizeA === 0 || sizeB === 0 ? 0 : shared / (sizeA + sizeB - shared);
}

/** Trigrams numbered in the order first seen, so that sets of them can be held as arrays of small integers. */
export class TrigramIds {
  private readonly ids = new Map<string, number>();

  get size(): number {
    return this.ids.size;
  }

  /** The trigram's id: a new one (the next) for a trigram not seen before. */
  add(trigram: string): number {
    let id = this.ids.get(trigram);
    if (id === undefined) this.ids.set(trigram, (id = this.ids.size));
    return id;
  }

  /** The trigram's id, if it was seen. */
  find(trigram: string): number | undefined {
    return this.ids.get(trigram);
  }
}
