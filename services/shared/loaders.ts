/** Request-scoped DataLoaders that batch entity lookups by id (one query per type per request). */
import DataLoader from 'dataloader';
import { notFound } from './errors';
import { assertUuid } from './ids';

export function loaderById<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await load([...ids]);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/**
 * The row `id` names, through a request's loader, or NOT_FOUND naming `what`; an id that is no UUID is
 * BAD_USER_INPUT on `field` before anything is read.
 */
export async function loadOrNotFound<T>(loader: DataLoader<string, T | null>, id: string, what: string, field = 'id'): Promise<T> {
  const found = await loader.load(assertUuid(id, field));
  if (!found) throw notFound(what, id);
  return found;
}
