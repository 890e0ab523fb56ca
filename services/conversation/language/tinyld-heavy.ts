/**
 * tinyld's "heavy" tables (the most accurate of its three sizes on short questions). The package declares its
 * entry points only in `exports`, which this project's TypeScript module resolution does not read, hence the typed
 * require of the subpath Node resolves.
 */
interface TinyLd {
  detectAll(text: string): Array<{ lang: string; accuracy: number }>;
}

const tinyld = require('tinyld/heavy') as TinyLd;

export const detectAll = (text: string) => tinyld.detectAll(text);
