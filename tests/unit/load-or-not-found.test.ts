import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '../../services/shared/errors';
import { loadOrNotFound, loaderById } from '../../services/shared/loaders';

/** A request's loader over a fixed set of rows, counting the ids it was asked for. */
function loaderOver(rows: Array<{ id: string; name: string }>) {
  const asked: string[][] = [];
  const loader = loaderById(async (ids) => {
    asked.push(ids);
    return rows.filter((row) => ids.includes(row.id));
  });
  return { loader, asked };
}

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof DomainError ? `${error.code}: ${error.message}` : String(error)),
  );

describe('loadOrNotFound', () => {
  const row = { id: randomUUID(), name: 'Acme' };

  it('returns the row the id names, loaded by its lower-case id', async () => {
    const { loader, asked } = loaderOver([row]);
    expect(await loadOrNotFound(loader, row.id.toUpperCase(), 'Account')).toEqual(row);
    expect(asked).toEqual([[row.id]]);
  });

  it('is NOT_FOUND naming what and the id when no row has it', async () => {
    const { loader } = loaderOver([row]);
    const missing = randomUUID();
    expect(await codeOf(loadOrNotFound(loader, missing, 'Knowledge item'))).toBe(`${ErrorCode.NotFound}: Knowledge item ${missing} was not found`);
  });

  it('is BAD_USER_INPUT on the named field for an id that is no UUID, and reads nothing', async () => {
    const { loader, asked } = loaderOver([row]);
    expect(await codeOf(loadOrNotFound(loader, 'acme', 'Account', 'filter.accountId'))).toMatch(new RegExp(`^${ErrorCode.BadUserInput}: filter\\.accountId must be`));
    expect(asked).toEqual([]);
  });
});
