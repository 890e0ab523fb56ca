import { LatencyLimit } from '../../services/shared/latency-limit';

/** `count` completions of `ms` each, every one admitted with `admittedWith` in flight and ending with `endedWith`. */
const complete = (sut: LatencyLimit, count: number, ms: number, admittedWith: number, endedWith = admittedWith) => {
  for (let i = 0; i < count; i += 1) sut.record(ms, admittedWith, endedWith);
};

describe('latency limit', () => {
  it('starts at the ceiling and keeps it while asks take no longer than the tolerance allows', () => {
    const sut = new LatencyLimit({ max: 20, tolerance: 2 });
    expect(sut.current).toBe(20);
    complete(sut, 5, 50, 1);
    complete(sut, 200, 90, 10);
    expect(sut.unloadedMs).toBe(50);
    expect(sut.current).toBe(20);
    expect(sut.current).toBe(20);
  });

  it('cuts the bound by a quarter per window while asks that ran together take longer than the tolerance allows', () => {
    const sut = new LatencyLimit({ max: 20, tolerance: 2 });
    complete(sut, 5, 50, 1);
    complete(sut, 20, 400, 16);
    expect(sut.current).toBe(15);
    complete(sut, 15, 400, 15);
    expect(sut.current).toBe(11);
    complete(sut, 300, 400, 8);
    expect(sut.current).toBe(1);
  });

  it('does not cut for asks that were slow alone: fewer in flight would not make them faster', () => {
    const sut = new LatencyLimit({ max: 8, tolerance: 2 });
    complete(sut, 5, 50, 1);
    complete(sut, 100, 500, 1);
    expect(sut.current).toBe(8);
  });

  it('raises the bound by one per window within the tolerance, only while it was reached, up to the ceiling', () => {
    const sut = new LatencyLimit({ max: 6, tolerance: 2, initial: 2 });
    complete(sut, 5, 50, 1, 1);
    expect(sut.current).toBe(3);
    complete(sut, 5, 60, 1, 1);
    expect(sut.current).toBe(3);
    complete(sut, 5, 60, 3, 2);
    expect(sut.current).toBe(4);
    complete(sut, 100, 60, 6, 6);
    expect(sut.current).toBe(6);
  });

  it('settles where the mean latency is near the tolerance on a machine that does a fixed number of asks at once', () => {
    // Two asks run at full speed (50 ms); more in flight share the two: latency = 50 ms × in flight / 2.
    const sut = new LatencyLimit({ max: 20, tolerance: 2 });
    complete(sut, 5, 50, 1);
    const bounds: number[] = [];
    for (let round = 0; round < 400; round += 1) {
      const inFlight = sut.current;
      sut.record(50 * Math.max(1, inFlight / 2), inFlight, inFlight);
      bounds.push(sut.current);
    }
    const settled = bounds.slice(-100);
    expect(Math.max(...settled)).toBeLessThanOrEqual(5);
    expect(Math.min(...settled)).toBeGreaterThanOrEqual(2);
  });

  it('follows a lasting change of the unloaded latency, and a stretch of continuous load leaves it as it was', () => {
    const sut = new LatencyLimit({ max: 20, tolerance: 2 });
    complete(sut, 10, 50, 1);
    complete(sut, 30, 90, 5);
    expect(sut.unloadedMs).toBe(50);
    // A language model now writes the answers: alone, an ask takes two seconds.
    complete(sut, 100, 2000, 1);
    expect(sut.unloadedMs).toBeGreaterThan(1900);
    expect(sut.unloadedMs).toBeLessThanOrEqual(2000);
  });

  it('judges against the mean of asks run nearly alone, not the fastest one: asks alone are never seen as queued', () => {
    const sut = new LatencyLimit({ max: 10, tolerance: 2, initial: 3 });
    // Alone, asks take 20 to 100 ms (mean 60); three at once take the same: the machine is not busy.
    for (let i = 0; i < 60; i += 1) sut.record(20 + (i % 5) * 20, 1 + (i % 3), 3);
    expect(sut.unloadedMs).toBeGreaterThan(40);
    expect(sut.current).toBeGreaterThan(3);
  });

  it('refuses a tolerance that would let no ask wait, and a ceiling below one', () => {
    expect(() => new LatencyLimit({ max: 4, tolerance: 1 })).toThrow(RangeError);
    expect(() => new LatencyLimit({ max: 0, tolerance: 2 })).toThrow(RangeError);
  });
});
