/**
 * TypeORM's raw `query` returns rows for SELECT and INSERT … RETURNING, but `[rows, count]` for UPDATE and
 * DELETE … RETURNING. This gives the rows either way.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
