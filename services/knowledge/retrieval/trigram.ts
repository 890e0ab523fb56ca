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
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const trigram of small) if (large.has(trigram)) shared++;
  return shared / (a.size + b.size - shared);
}
