import { AuthFailureLimit } from '../../gateway/auth-failure-limit';
import { TokenBuckets } from '../../gateway/token-buckets';

describe('failed authentications per address', () => {
  let now = 0;
  const clock = () => now;
  const budget = { name: 'visitor authentication failures', burst: 3, refillPerMs: 1 / 1000 };
  const sut = () => new AuthFailureLimit(new TokenBuckets(1000, clock), budget, clock);

  beforeEach(() => {
    now = 0;
  });

  test('an address may fail up to the burst; after that it waits until a token refills, and may then fail once more', () => {
    const limit = sut();
    for (let i = 0; i < 3; i++) {
      expect(limit.waitFor('198.51.100.7')).toBe(0);
      limit.failed('198.51.100.7');
    }
    expect(limit.waitFor('198.51.100.7')).toBe(0);
    limit.failed('198.51.100.7');
    expect(limit.waitFor('198.51.100.7')).toBe(1000);
    now = 600;
    expect(limit.waitFor('198.51.100.7')).toBe(400);
    now = 1000;
    expect(limit.waitFor('198.51.100.7')).toBe(0);
  });

  test('counts an IPv6 visitor by its /64, and leaves other addresses alone', () => {
    const limit = sut();
    for (let i = 0; i < 4; i++) limit.failed(`2001:db8:1:2::${i + 1}`);
    expect(limit.waitFor('2001:db8:1:2::99')).toBeGreaterThan(0);
    expect(limit.waitFor('2001:db8:1:3::1')).toBe(0);
    expect(limit.waitFor('198.51.100.8')).toBe(0);
  });
});
