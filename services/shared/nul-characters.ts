/**
 * Finds a NUL character (U+0000) in request input. Postgres can store one neither in text nor in jsonb, and
 * no legitimate support text carries one, so the edges (the gateway, the webhook routes) refuse it up front.
 */
const NUL = '\u0000';

const printable = (key: string) => key.split(NUL).join('\\u0000');

/**
 * The path ("input.customer.email", "items[2]") of the first string or object key in a JSON-like value that
 * holds a NUL character; undefined when there is none. Iterative, so deeply nested input cannot exhaust the stack.
 */
export function pathToNulCharacter(value: unknown, rootPath = ''): string | undefined {
  const pending: Array<{ value: unknown; path: string }> = [{ value, path: rootPath }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes(NUL)) return path;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push({ value: current[i], path: `${path}[${i}]` });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const childPath = path ? `${path}.${printable(key)}` : printable(key);
        if (key.includes(NUL)) return childPath;
        pending.push({ value: child, path: childPath });
      }
    }
  }
  return undefined;
}
