/**
 * Finds text that Postgres cannot store in request input: a NUL character (U+0000), which neither text nor jsonb
 * can hold, or half of a UTF-16 surrogate pair (text cut inside an emoji or another character beyond U+FFFF,
 * which jsonb refuses and UTF-8 cannot encode). No legitimate support text carries either, so the edges (the
 * gateway, the webhook routes) refuse them up front.
 */
const NUL = '\u0000';
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** What is wrong with a string, in words for an error message; undefined when it can be stored. */
export function unstorableCharacter(text: string): string | undefined {
  if (text.includes(NUL)) return 'a NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'half of a UTF-16 surrogate pair (a character cut in two, such as a truncated emoji)';
  return undefined;
}

/** A key as it may be printed in a message: the offending characters escaped. */
const printable = (key: string) =>
  key.split(NUL).join('\\u0000').replace(LONE_SURROGATES, (half) => `\\u${half.charCodeAt(0).toString(16).toUpperCase()}`);

interface Visit {
  value: unknown;
  /** How the path continues from the parent: ".key", "[3]", or the root path. Joined only once a hit is found. */
  segment: string;
  parent?: Visit;
}

function pathOf(visit: Visit): string {
  const segments: string[] = [];
  for (let at: Visit | undefined = visit; at; at = at.parent) segments.push(at.segment);
  const path = segments.reverse().join('');
  return path.startsWith('.') ? path.slice(1) : path;
}

/**
 * The path ("input.customer.email", "items[2]") of the first string or object key in a JSON-like value that
 * Postgres cannot store, and what is wrong with it; undefined when there is none. Iterative, and paths are only
 * built for a hit, so deeply nested input costs neither stack nor quadratic string building.
 */
export function pathToUnstorableText(value: unknown, rootPath = ''): { path: string; character: string } | undefined {
  const pending: Visit[] = [{ value, segment: rootPath }];
  while (pending.length > 0) {
    const visit = pending.pop()!;
    const current = visit.value;
    if (typeof current === 'string') {
      const character = unstorableCharacter(current);
      if (character) return { path: pathOf(visit), character };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], segment: `[${i}]`, parent: visit });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const next: Visit = { value: child, segment: `.${printable(key)}`, parent: visit };
        const character = unstorableCharacter(key);
        if (character) return { path: pathOf(next), character };
        pending.push(next);
      }
    }
  }
  return undefined;
}
