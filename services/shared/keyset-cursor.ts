/**
 * Keyset paging, one way in every subgraph. A cursor is the last row's sort key as opaque base64url JSON (a tuple);
 * decoding checks each value's shape, so a cursor a client made up or cut short is a BAD_USER_INPUT, never a
 * database error. Lists fetch one row more than they show: that row only says another page follows.
 */
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from './errors';
import { isUuid } from './ids';

/** Checks one value of a decoded cursor. */
export type CursorPart<T> = (value: unknown) => value is T;

type PartValues<P extends readonly CursorPart<unknown>[]> = { -readonly [K in keyof P]: P[K] extends CursorPart<infer T> ? T : never };

export const cursorPart = {
  uuid: (value: unknown): value is string => typeof value === 'string' && isUuid(value),
  /**
   * An ISO timestamp as this API writes them (`toISOString()`, or Postgres's JSON text of a timestamptz), kept as
   * text so a timestamptz loses no microseconds on the way back. Checked field by field: `Date.parse` also takes
   * "1" and 2024-02-30, which Postgres refuses with a database error.
   */
  timestamp: (value: unknown): value is string => typeof value === 'string' && isIsoTimestamp(value),
  finiteNumber: (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value),
  /** A fixed value: names what a cursor was made for, so one from another kind of request is refused. */
  literal:
    <T extends string>(expected: T): CursorPart<T> =>
    (value: unknown): value is T =>
      value === expected,
  either:
    <A, B>(a: CursorPart<A>, b: CursorPart<B>): CursorPart<A | B> =>
    (value: unknown): value is A | B =>
      a(value) || b(value),
};

const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-](\d{2}):(\d{2}))$/;

function isIsoTimestamp(value: string): boolean {
  const match = ISO_TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  // Year 0 parses in JavaScript; Postgres has no year 0.
  return year! >= 1 && month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour! < 24 && minute! < 60 && second! < 60 && offsetHours! < 16 && offsetMinutes! < 60;
}

export interface KeysetCursor<T extends unknown[]> {
  encode(values: T): string;
  /** The values of a cursor this codec encoded; anything else is refused with `refusal`. */
  decode(cursor: string): T;
}

/** A codec for cursors of these parts, in this order. */
export function keysetCursor<const P extends readonly CursorPart<unknown>[]>(
  parts: P,
  refusal = 'after must be a cursor returned by this API',
): KeysetCursor<PartValues<P>> {
  return {
    encode: (values) => Buffer.from(JSON.stringify(values)).toString('base64url'),
    decode(cursor) {
      let values: unknown;
      try {
        values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw badInput(refusal);
      }
      if (!Array.isArray(values) || values.length !== parts.length || !parts.every((isPart, i) => isPart(values[i]))) throw badInput(refusal);
      return values as PartValues<P>;
    },
  };
}

/** The page of rows fetched with `LIMIT first + 1`, and whether the extra row says more follow. */
export function pageOf<T>(rows: T[], first: number): { rows: T[]; hasNextPage: boolean } {
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}

/**
 * SQL for a timestamptz sort key as Postgres's own text (`2026-12-06T10:00:00.123456+00:00`): a cursor made from a
 * JavaScript Date cuts the microseconds that `now()` writes, and the next page then skips (or repeats) the rows
 * of that millisecond. Every keyset list over a time carries its cursor's time this way.
 */
export const sortKeyText = (expression: string): string => `(to_json(${expression}) #>> '{}')`;

/** A listed row with its sort key as Postgres wrote it: text, so a timestamptz keeps its microseconds in the cursor. */
export interface KeyedRow<T> {
  row: T;
  sortKey: string;
}

/**
 * Runs a list query (one row per entity, no joins) and reads each row's `sortColumn` as Postgres text. A cursor made
 * from a JavaScript Date would cut the microseconds that `now()` writes, and the next page would skip the rows of
 * that millisecond.
 */
export async function keyedRows<T extends ObjectLiteral & { id: string }>(query: SelectQueryBuilder<T>, sortColumn: string): Promise<KeyedRow<T>[]> {
  const alias = query.alias;
  const { entities, raw } = await query.addSelect(sortKeyText(`${alias}.${sortColumn}`), 'keyset_sort_key').getRawAndEntities<Record<string, unknown>>();
  const sortKeys = new Map(raw.map((values) => [values[`${alias}_id`], String(values.keyset_sort_key)]));
  return entities.map((row) => ({ row, sortKey: sortKeys.get(row.id)! }));
}
