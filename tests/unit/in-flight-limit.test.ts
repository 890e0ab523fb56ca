import { DomainError, ErrorCode } from '../../services/shared/errors';
import { InFlightLimit } from '../../services/shared/in-flight-limit';
import { LatencyLimit } from '../../services/shared/latency-limit';

/** Work that runs until the test lets it finish (or fail). */
function pending() {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { work: () => promise, finish, fail };
}

const refusalOf = async (attempt: Promise<unknown>) => {
  const error = await attempt.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

describe('in-flight limit', () => {
  it('refuses work past the limit with UNAVAILABLE and a retry-after, without starting it', async () => {
    let refusals = 0;
    const sut = new InFlightLimit({ limit: 2, refusal: 'Busy', retryAfterSeconds: 1, onRefused: () => (refusals += 1) });
    const [first, second] = [pending(), pending()];
    const running = [sut.run(first.work), sut.run(second.work)];
    let started = false;
    const refusal = await refusalOf(sut.run(async () => (started = true)));
    expect(refusal.code).toBe(ErrorCode.Unavailable);
    expect(refusal.details).toEqual({ retryAfterSeconds: 1 });
    expect(refusal.message).toBe('Busy; retry in 1 s');
    expect(started).toBe(false);
    expect(refusals).toBe(1);
    expect(sut.inFlight).toBe(2);
    first.finish('a');
    second.finish('b');
    expect(await Promise.all(running)).toEqual(['a', 'b']);
  });

  it('frees the slot when the work finishes or fails, so the next one runs', async () => {
    const sut = new InFlightLimit({ limit: 1, refusal: 'Busy', retryAfterSeconds: 1 });
    const failing = pending();
    const running = sut.run(failing.work);
    await refusalOf(sut.run(async () => 'refused'));
    failing.fail(new Error('boom'));
    await expect(running).rejects.toThrow('boom');
    expect(sut.inFlight).toBe(0);
    expect(await sut.run(async () => 'next')).toBe('next');
  });

  it('with a learned bound, takes what it allows (never above the ceiling) and learns only from work it is told to measure', async () => {
    const learned = new LatencyLimit({ max: 3, tolerance: 2, initial: 1 });
    let now = 0;
    // Every piece of work takes 5 ms by this clock, so the bound learns the same however loaded the machine is.
    const sut = new InFlightLimit({ limit: 2, refusal: 'Busy', retryAfterSeconds: 1, adaptive: learned, clock: () => (now += 5) });
    expect(sut.limit).toBe(1);
    const held = pending();
    const running = sut.run(held.work);
    await refusalOf(sut.run(async () => 'refused'));
    held.finish('done');
    await running;
    // Replays say nothing of load: five of them leave the bound where it was.
    for (let i = 0; i < 5; i += 1) await sut.run(async () => 'replayed', () => false);
    expect(sut.limit).toBe(1);
    // Work done in full, at the bound and within the tolerance, raises it; the ceiling (2) still caps it.
    for (let i = 0; i < 20; i += 1) await sut.run(async () => 'asked');
    expect(learned.current).toBe(3);
    expect(sut.limit).toBe(2);
  });

  it('counts as unloaded only work that ran alone most of its life, however many were in flight when it began', async () => {
    const learned = new LatencyLimit({ max: 4, tolerance: 2 });
    let now = 0;
    const sut = new InFlightLimit({ limit: 4, refusal: 'Busy', retryAfterSeconds: 1, adaptive: learned, clock: () => now });
    const alone = pending();
    const running = sut.run(alone.work);
    now = 40;
    alone.finish('alone');
    await running;
    expect(learned.unloadedMs).toBe(40);
    // Begun alone, but three more joined it at once and stayed until it ended 300 ms later: it waited on them.
    const first = pending();
    const firstRun = sut.run(first.work);
    const company = [pending(), pending(), pending()];
    const companyRuns = company.map((c) => sut.run(c.work));
    now = 340;
    first.finish('first');
    await firstRun;
    company.forEach((c) => c.finish('company'));
    await Promise.all(companyRuns);
    expect(learned.unloadedMs).toBe(40);
  });
});
