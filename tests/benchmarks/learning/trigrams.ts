/**
 * pg_trgm's `similarity(a, b)` in TypeScript, for offline benchmarks that must score what Postgres would score
 * without a database: each run of letters and digits, lower-cased and padded with two spaces in front and one
 * behind, gives its three-character substrings; the similarity is the size of the two sets' intersection over
 * that of their union. (tests/integration/trigram-similarity.test.ts checks it against Postgres.)
 */
export function trigrams(text: string): Set<string> {
  const set = new Set<string>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) set.add(padded.slice(i, i + 3));
  }
  return set;
}

export function trigramSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}
