import { Budget, TokenBuckets } from '../../gateway/token-buckets';
import { fakeClock } from '../helpers/fake-clock';

/** 3 at once, then one every second. */
const asks: Budget = { name: 'visitor asks', burst: 3, refillPerMs: 1 / 1000 };
const signals: Budget = { name: 'visitor signals', burst: 2, refillPerMs: 1 / 500 };

describe('token buckets', () => {
  it('lets a full burst through at once and refuses the next, with the wait until one token is back', () => {
    const time = fakeClock(1_000);
    const sut = new TokenBuckets(100, time.now);
    for (let i = 0; i < 3; i += 1) expect(sut.take([{ budget: asks, id: 'a', cost: 1 }])).toEqual({ allowed: true });
    expect(sut.take([{ budget: asks, id: 'a', cost: 1 }])).toEqual({ allowed: false, budget: asks, retryAfterMs: 1000 });
  });

  it('refills continuously at the budget rate, and after the announced wait the same draw succeeds', () => {
    const time = fakeClock(1_000);
    const sut = new TokenBuckets(100, time.now);
    for (let i = 0; i < 3; i += 1) sut.take([{ budget: asks, id: 'a', cost: 1 }]);
    time.advance(400);
    const refused = sut.take([{ budget: asks, id: 'a', cost: 1 }]);
    expect(refused).toEqual({ allowed: false, budget: asks, retryAfterMs: expect.closeTo(600, 6) });
    time.advance(600);
    expect(sut.take([{ budget: asks, id: 'a', cost: 1 }])).toEqual({ allowed: true });
    expect(sut.take([{ budget: asks, id: 'a', cost: 1 }]).allowed).toBe(false);
  });

  it('never holds more than the burst, however long a bucket sat idle', () => {
    const time = fakeClock(1_000);
    const sut = new TokenBuckets(100, time.now);
    sut.take([{ budget: asks, id: 'a', cost: 1 }]);
    time.advance(3_600_000);
    for (let i = 0; i < 3; i += 1) expect(sut.take([{ budget: asks, id: 'a', cost: 1 }]).allowed).toBe(true);
    expect(sut.take([{ budget: asks, id: 'a', cost: 1 }]).allowed).toBe(false);
  });

  it('keeps one bucket per identity and per budget', () => {
    const time = fakeClock(1_000);
    const sut = new TokenBuckets(100, time.now);
    for (let i = 0; i < 3; i += 1) sut.take([{ budget: asks, id: 'a', cost: 1 }]);
    expect(sut.take([{ budget: asks, id: 'a', cost: 1 }]).allowed).toBe(false);
    expect(sut.take([{ budget: asks, id: 'b', cost: 1 }]).allowed).toBe(true);
    expect(sut.take([{ budget: signals, id: 'a', cost: 1 }]).allowed).toBe(true);
  });

  it('takes from every bucket or from none: a refusal by one budget does not spend the other', () => {
    const time = fakeClock(1_000);
    const sut = new TokenBuckets(100, time.now);
    sut.take([{ budget: signals, id: 'a', cost: 2 }]);
    const refused = sut.take([
      { budget: asks, id: 'a', cost: 3 },
      { budget: signals, id: 'a', cost: 1 },
    ]);
    expect(refused).toEqual({ allowed: false, budget: signals, retryAfterMs: 500 });
    expect(sut.take([{ budget: asks, id: 'a', cost: 3 }])).toEqual({ allowed: true });
  });

  it('names the budget that needs the longest wait when several are short', () => {
    const time = fakeClock(1_000);
    const sut = new TokenBuckets(100, time.now);
    sut.take([{ budget: asks, id: 'a', cost: 3 }]);
    sut.take([{ budget: signals, id: 'a', cost: 2 }]);
    expect(sut.take([
      { budget: signals, id: 'a', cost: 2 },
      { budget: asks, id: 'a', cost: 2 },
    ])).toEqual({ allowed: false, budget: asks, retryAfterMs: 2000 });
  });

  it('charges a draw of several tokens in one go', () => {
    const time = fakeClock(1_000);
    const sut = new TokenBuckets(100, time.now);
    expect(sut.take([{ budget: asks, id: 'a', cost: 2 }]).allowed).toBe(true);
    expect(sut.take([{ budget: asks, id: 'a', cost: 2 }])).toEqual({ allowed: false, budget: asks, retryAfterMs: 1000 });
  });

  it('refuses to take a draw larger than the burst, which no wait could satisfy', () => {
    const sut = new TokenBuckets(100, fakeClock(1_000).now);
    expect(() => sut.take([{ budget: asks, id: 'a', cost: 4 }])).toThrow(RangeError);
  });

  it('past its size bound forgets full buckets first, which loses nothing', () => {
    const time = fakeClock(1_000);
    const sut = new TokenBuckets(10, time.now);
    for (let i = 0; i < 9; i += 1) sut.take([{ budget: asks, id: `idle-${i}`, cost: 1 }]);
    time.advance(2_000);
    for (let i = 0; i < 3; i += 1) sut.take([{ budget: asks, id: 'drained', cost: 1 }]);
    sut.take([{ budget: asks, id: 'new', cost: 1 }]);
    expect(sut.size).toBe(2);
    expect(sut.take([{ budget: asks, id: 'drained', cost: 1 }]).allowed).toBe(false);
  });

  it('then forgets the least recently used, counting refusals as use, and stays bounded under a flood', () => {
    const time = fakeClock(1_000);
    const sut = new TokenBuckets(10, time.now);
    const tick = () => time.advance(0.01);
    for (let i = 0; i < 3; i += 1) sut.take([{ budget: asks, id: 'hammering', cost: 1 }]);
    tick();
    for (let i = 0; i < 9; i += 1) {
      sut.take([{ budget: asks, id: `quiet-${i}`, cost: 1 }]);
      tick();
    }
    expect(sut.take([{ budget: asks, id: 'hammering', cost: 1 }]).allowed).toBe(false);
    tick();
    sut.take([{ budget: asks, id: 'latest', cost: 1 }]);
    expect(sut.size).toBe(9);
    expect(sut.take([{ budget: asks, id: 'hammering', cost: 1 }]).allowed).toBe(false);
    // The two least recently used were forgotten: a forgotten bucket starts full again.
    expect(sut.take([{ budget: asks, id: 'quiet-0', cost: 3 }]).allowed).toBe(true);
    expect(sut.take([{ budget: asks, id: 'quiet-2', cost: 3 }]).allowed).toBe(false);
    for (let i = 0; i < 10_000; i += 1) {
      sut.take([{ budget: asks, id: `flood-${i}`, cost: 1 }]);
      expect(sut.size).toBeLessThanOrEqual(10);
    }
  });
});
