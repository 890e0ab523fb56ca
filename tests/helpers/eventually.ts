/**
 * Waiting on an event instead of sleeping for a guessed time: probes until `done` holds or the deadline passes,
 * and returns the last value either way, so the test's own assertion on it says what was seen when it fails.
 */
export async function eventually<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
