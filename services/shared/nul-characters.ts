/**
 * Finds a NUL character (U+0000) in request input. Postgres can store one neither in text nor in jsonb, and
 * no legitimate support text carries one, so the edges (the gateway, the webhook routes) refuse it up front.
 */
const NUL = '\u0000';

const printable = (key: string) => key.split(NUL).join('\\u0000');

interface Visit {
  value: unknown;
  /** How the path continues from the parent: ".key", "[3]", or the root path. Joined only once a NUL is found. */
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
 * holds a NUL character; undefined when there is none. Iterative, and paths are only built for a hit, so deeply
 * nested input costs neither stack nor quadratic string building.
 */
export function pathToNulCharacter(value: unknown, rootPath = ''): string | undefined {
  const pending: Visit[] = [{ value, segment: rootPath }];
  while (pending.length > 0) {
    const visit = pending.pop()!;
    const current = visit.value;
    if (typeof current === 'string') {
      if (current.includes(NUL)) return pathOf(visit);
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], segment: `[${i}]`, parent: visit });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const next: Visit = { value: child, segment: `.${printable(key)}`, parent: visit };
        if (key.includes(NUL)) return pathOf(next);
        pending.push(next);
      }
    }
  }
  return undefined;
}
