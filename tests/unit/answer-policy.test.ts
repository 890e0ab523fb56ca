import { DEFAULT_THRESHOLD, HAND_OFF_ALL, MIN_SAMPLES, calibrateThreshold, wilsonBounds } from '../../services/knowledge/learning/answer-policy';
import { VISITOR_POOL_CAP, poolVisitors } from '../../services/knowledge/learning/learning-trust';

const outcomes = (spec: Array<[number, boolean]>) => spec.map(([confidence, correct]) => ({ confidence, correct }));

describe('learning the confidence a topic needs', () => {
  it('keeps the default until a topic has enough evidence', () => {
    const sut = calibrateThreshold(outcomes(Array.from({ length: MIN_SAMPLES - 1 }, () => [0.9, true])), 0.9);
    expect(sut).toEqual({ threshold: DEFAULT_THRESHOLD, samples: MIN_SAMPLES - 1, precision: null });
  });

  it('opens a topic down to the lowest confidence whose precision is proven', () => {
    // 30 right answers at 0.30..0.59 prove 91.7% (Wilson, one-sided 95%); with the wrong one at 0.19 the bound
    // falls to 86.8%: the bar stops at 0.30.
    const right = Array.from({ length: 30 }, (_, i) => [0.3 + i * 0.01, true] as [number, boolean]);
    const wrong = Array.from({ length: 10 }, (_, i) => [0.19 - i * 0.01, false] as [number, boolean]);
    const sut = calibrateThreshold(outcomes([...right, ...wrong]), 0.9);
    expect(sut.threshold).toBeCloseTo(0.3, 5);
    expect(sut.precision).toBe(1);
    expect(wilsonBounds(30, 30).lower).toBeGreaterThan(0.9);
    expect(wilsonBounds(30, 31).lower).toBeLessThan(0.9);
    // 30 in a row do not prove 95%: the untaught bar holds.
    expect(calibrateThreshold(outcomes([...right, ...wrong]), 0.95).threshold).toBe(DEFAULT_THRESHOLD);
  });

  it('raises the bar when confident answers turn out wrong, to where the answers above it hold', () => {
    const spec: Array<[number, boolean]> = Array.from({ length: 40 }, (_, i) => [0.2 + i * 0.01, i >= 20 || i % 2 === 0]);
    // Untaught bar 0.3: above it 25 of 30 were right. From above 0.35 on, 22 of 24: the bar rises just past 0.35.
    const sut = calibrateThreshold(outcomes(spec), 0.9, 0.3);
    expect(sut.threshold).toBeGreaterThan(0.35);
    expect(sut.threshold).toBeLessThan(0.36);
    expect(sut.precision).toBeCloseTo(22 / 24, 5);
  });

  it('keeps the untaught bar while the evidence above it does not prove it wrong', () => {
    // 19 right and 1 wrong at the top: not proven good, but right 95% of the time, as the bar asks.
    const spec: Array<[number, boolean]> = [...Array.from({ length: 19 }, (_, i) => [0.71 + i * 0.01, true] as [number, boolean]), [0.95, false], [0.3, false], [0.2, true]];
    expect(calibrateThreshold(outcomes(spec), 0.95, 0.7)).toMatchObject({ threshold: 0.7 });
  });

  it('a few confident mistakes raise the bar only as far as they reach', () => {
    // Untaught bar 0.7; two wrong answers at 0.72 and 0.74 prove it bad, the right ones above 0.74 do not.
    const spec: Array<[number, boolean]> = [[0.72, false], [0.74, false], [0.8, true], [0.85, true], [0.9, true], ...Array.from({ length: 20 }, () => [0.1, false] as [number, boolean])];
    const sut = calibrateThreshold(outcomes(spec), 0.95, 0.7);
    expect(sut.threshold).toBeGreaterThan(0.74);
    expect(sut.threshold).toBeLessThan(0.75);
    expect(sut.precision).toBe(1);
  });

  it('hands a topic off entirely when no threshold reaches the target', () => {
    const spec: Array<[number, boolean]> = Array.from({ length: 25 }, (_, i) => [0.5 + i * 0.01, i % 3 === 1]);
    expect(calibrateThreshold(outcomes(spec), 0.9)).toEqual({ threshold: HAND_OFF_ALL, samples: 25, precision: null });
  });

  it('never splits answers that share a confidence', () => {
    const spec: Array<[number, boolean]> = [...Array.from({ length: 19 }, () => [0.5, true] as [number, boolean]), [0.5, false], [0.4, true]];
    // 19 of 20 at 0.5 prove only 78%: the untaught bar (0.7, nothing above it) holds.
    expect(calibrateThreshold(outcomes(spec), 0.9).threshold).toBe(DEFAULT_THRESHOLD);
    // With 59 of 60 at 0.5 the cut falls below the whole tie, never inside it.
    const many = [...Array.from({ length: 59 }, () => [0.5, true] as [number, boolean]), [0.5, false], [0.4, true]] as Array<[number, boolean]>;
    const sut = calibrateThreshold(outcomes(many), 0.9);
    expect([0.5, 0.4]).toContain(sut.threshold);
    expect(sut.precision).toBeCloseTo(60 / 61, 5);
  });
});

describe('weighed outcomes', () => {
  it('samples are the sum of weights: eighty quarter-weight outcomes are twenty samples', () => {
    const quarter = Array.from({ length: 79 }, () => ({ confidence: 0.4, correct: true, weight: 0.25 }));
    expect(calibrateThreshold(quarter, 0.85)).toMatchObject({ threshold: DEFAULT_THRESHOLD, precision: null });
    expect(calibrateThreshold([...quarter, { confidence: 0.4, correct: true, weight: 0.25 }], 0.85)).toMatchObject({ threshold: 0.4, samples: 20 });
  });

  it('every anonymous visitor together weighs at most the pool cap', () => {
    const visitors = Array.from({ length: 100 }, () => ({ confidence: 0.3, correct: true, weight: 0.25, visitor: true }));
    const agents = Array.from({ length: 5 }, () => ({ confidence: 0.5, correct: false, weight: 1, visitor: false }));
    const pooled = poolVisitors([...visitors, ...agents]);
    const weightOf = (outcomes: typeof pooled) => outcomes.reduce((sum, o) => sum + (o.weight ?? 1), 0);
    expect(weightOf(pooled.slice(0, 100))).toBeCloseTo(VISITOR_POOL_CAP, 9);
    expect(weightOf(pooled.slice(100))).toBe(5);
    expect(poolVisitors(visitors.slice(0, 4)).map((o) => o.weight)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});
