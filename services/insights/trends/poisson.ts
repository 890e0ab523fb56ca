/**
 * The Poisson upper tail, P(X ≥ k) for X ~ Poisson(λ): how surprising a count is if the old rate still held.
 * Summed upwards from k in log space, so tiny probabilities stay accurate (1 − CDF would round them to 0).
 */

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < g + 2; i++) sum += c[i]! / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  const logTerm = (i: number) => i * Math.log(lambda) - lambda - logGamma(i + 1);
  let total = 0;
  // Terms fall once i > λ; stop when they no longer change the sum.
  for (let i = k; ; i++) {
    const term = Math.exp(logTerm(i));
    total += term;
    if ((i > lambda && term < total * 1e-15) || i > k + 10_000) break;
  }
  return Math.min(1, total);
}
