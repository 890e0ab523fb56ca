/**
 * Postgres's unique-violation error (SQLSTATE 23505), as pg or TypeORM throws it: the name of the constraint or
 * unique index that refused the row, so a write that lost a race on a unique key can say CONFLICT instead of an
 * internal error.
 */
const UNIQUE_VIOLATION = '23505';

/** The refusing constraint's name when `error` is a unique violation ('' when Postgres did not name it), else null. */
export function uniqueViolation(error: unknown): string | null {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } } | null)?.driverError ?? (error as { code?: string; constraint?: string } | null);
  if (driverError?.code !== UNIQUE_VIOLATION) return null;
  return String(driverError.constraint ?? '');
}
