/** A clock a test moves by hand, for code that takes a `now` function. */
export function fakeClock(start = 0): { now: () => number; advance: (ms: number) => number } {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}
