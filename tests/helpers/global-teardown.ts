/** Jest global teardown: stops the throwaway PostgreSQL server global-setup.ts started, if it did. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.loopdeskTestPostgres?.stop();
}
