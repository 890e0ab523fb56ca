import { DomainError, ErrorCode } from '../../services/shared/errors';
import { cursorPart, keysetCursor, pageOf } from '../../services/shared/keyset-cursor';

const ID = '0b6f3c1e-8a51-4a4e-9a0e-2f1d3c4b5a69';

/** A BAD_USER_INPUT domain error with this message. */
const refusal = (message = 'after must be a cursor returned by this API') =>
  expect.objectContaining({ constructor: DomainError, code: ErrorCode.BadUserInput, message }) as unknown as Error;

describe('keyset cursors', () => {
  const sut = keysetCursor([cursorPart.timestamp, cursorPart.uuid]);

  test('a cursor decodes to the values it was made of', () => {
    const cursor = sut.encode(['2026-12-04T10:00:00.123Z', ID]);
    expect(sut.decode(cursor)).toEqual(['2026-12-04T10:00:00.123Z', ID]);
  });

  test.each(['2026-12-06T10:00:00.123456+00:00', '2024-02-29T23:59:59-05:30', '2026-12-06T10:00:00Z'])('Postgres JSON text of a timestamptz (%s) is a time', (time) => {
    expect(sut.decode(sut.encode([time, ID]))).toEqual([time, ID]);
  });

  test('a cursor is opaque base64url JSON of the tuple, the same string earlier releases handed out', () => {
    const cursor = sut.encode(['2026-12-04T10:00:00.000Z', ID]);
    expect(cursor).toBe(Buffer.from(JSON.stringify(['2026-12-04T10:00:00.000Z', ID])).toString('base64url'));
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test.each([
    ['not base64 JSON', 'not a cursor'],
    ['a cut-short cursor', sut.encode(['2026-12-04T10:00:00.000Z', ID]).slice(0, 20)],
    ['a JSON object', Buffer.from(JSON.stringify({ at: '2026-12-04', id: ID })).toString('base64url')],
    ['too few values', Buffer.from(JSON.stringify(['2026-12-04T10:00:00.000Z'])).toString('base64url')],
    ['too many values', Buffer.from(JSON.stringify(['2026-12-04T10:00:00.000Z', ID, 1])).toString('base64url')],
    ['a value that is not a time', Buffer.from(JSON.stringify(['yesterday', ID])).toString('base64url')],
    // Date.parse takes both; Postgres refuses them (a database error, not the client's BAD_USER_INPUT).
    ['a bare number as the time', Buffer.from(JSON.stringify(['1', ID])).toString('base64url')],
    ['a day the month does not have', Buffer.from(JSON.stringify(['2024-02-30T10:00:00.000Z', ID])).toString('base64url')],
    ['a time of day past midnight', Buffer.from(JSON.stringify(['2026-12-04T24:00:00.000Z', ID])).toString('base64url')],
    ['year 0, which Postgres does not have', Buffer.from(JSON.stringify(['0000-01-01T00:00:00.000Z', ID])).toString('base64url')],
    ['a time without its zone', Buffer.from(JSON.stringify(['2026-12-04T10:00:00.000', ID])).toString('base64url')],
    ['an id that is not a UUID', Buffer.from(JSON.stringify(['2026-12-04T10:00:00.000Z', "1' OR '1'='1"])).toString('base64url')],
    ['the empty string', ''],
  ])('%s is refused as BAD_USER_INPUT', (_what, cursor) => {
    expect(() => sut.decode(cursor)).toThrow(refusal());
  });

  test('a tagged cursor refuses one made for another kind of request, with the refusal it was given', () => {
    const list = keysetCursor([cursorPart.literal('l'), cursorPart.timestamp, cursorPart.uuid], 'a list cursor, please');
    const search = keysetCursor([cursorPart.literal('s'), cursorPart.finiteNumber, cursorPart.uuid]);
    const fromSearch = search.encode(['s', 0.5, ID]);
    expect(search.decode(fromSearch)).toEqual(['s', 0.5, ID]);
    expect(() => list.decode(fromSearch)).toThrow(refusal('a list cursor, please'));
  });

  test('either part accepts one of two shapes', () => {
    const due = keysetCursor([cursorPart.either(cursorPart.literal('infinity'), cursorPart.timestamp), cursorPart.uuid]);
    expect(due.decode(due.encode(['infinity', ID]))).toEqual(['infinity', ID]);
    expect(due.decode(due.encode(['2026-12-04T10:00:00.000Z', ID]))).toEqual(['2026-12-04T10:00:00.000Z', ID]);
    expect(() => due.decode(Buffer.from(JSON.stringify(['never', ID])).toString('base64url'))).toThrow(refusal());
  });
});

describe('a page fetched with one row more', () => {
  test('the extra row is dropped and says another page follows', () => {
    expect(pageOf([1, 2, 3], 2)).toEqual({ rows: [1, 2], hasNextPage: true });
  });

  test('a short page is the last one', () => {
    expect(pageOf([1, 2], 2)).toEqual({ rows: [1, 2], hasNextPage: false });
  });
});
