import { logGamma, poissonUpperTail } from '../../services/insights/trends/poisson';

describe('the Poisson upper tail', () => {
  it('matches closed forms', () => {
    expect(poissonUpperTail(1, 0.7)).toBeCloseTo(1 - Math.exp(-0.7), 12);
    // P(X ≥ 3 | λ = 2) = 1 − e^−2 (1 + 2 + 2)
    expect(poissonUpperTail(3, 2)).toBeCloseTo(1 - 5 * Math.exp(-2), 12);
    expect(poissonUpperTail(0, 5)).toBe(1);
  });

  it('keeps tiny probabilities that 1 − CDF would round to zero', () => {
    // P(X ≥ 40 | λ = 1) ≈ e^−1 / 40! (the first term dominates): about 4.5e−49.
    const sut = poissonUpperTail(40, 1);
    expect(sut).toBeGreaterThan(0);
    expect(sut / (Math.exp(-1 - logGamma(41)))).toBeCloseTo(1, 1);
  });

  it('computes ln Γ at integers as ln of factorials', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 10);
    expect(logGamma(21)).toBeCloseTo(Math.log(2432902008176640000), 8);
  });
});
