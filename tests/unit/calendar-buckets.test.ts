import { bucketStart, bucketStarts, localDate } from '../../services/insights/calendar-buckets';

describe('calendar buckets', () => {
  it('puts an instant on its date in the zone', () => {
    expect(localDate(new Date('2026-03-01T23:30:00Z'), 'UTC')).toBe('2026-03-01');
    expect(localDate(new Date('2026-03-01T23:30:00Z'), 'Europe/Paris')).toBe('2026-03-02');
    expect(localDate(new Date('2026-03-01T03:30:00Z'), 'America/New_York')).toBe('2026-02-28');
  });

  it('starts a week on its Monday and a month on its first day', () => {
    expect(bucketStart('2026-12-06', 'week')).toBe('2026-11-30'); // a Sunday
    expect(bucketStart('2026-11-30', 'week')).toBe('2026-11-30'); // a Monday
    expect(bucketStart('2026-02-28', 'month')).toBe('2026-02-01');
    expect(bucketStart('2026-02-28', 'day')).toBe('2026-02-28');
  });

  it('lists every bucket of [from, to) in the zone, the last one being that of the last instant before to', () => {
    expect(bucketStarts(new Date('2026-02-26T00:00:00Z'), new Date('2026-03-02T00:00:00Z'), 'day', 'UTC')).toEqual(['2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01']);
    // Paris is an hour ahead: the range's first instant is already the 26th there, its last the 2nd.
    expect(bucketStarts(new Date('2026-02-25T23:00:00Z'), new Date('2026-03-01T23:30:00Z'), 'day', 'Europe/Paris')).toEqual(['2026-02-26', '2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(bucketStarts(new Date('2026-11-25T00:00:00Z'), new Date('2026-12-08T00:00:00Z'), 'week', 'UTC')).toEqual(['2026-11-23', '2026-11-30', '2026-12-07']);
    expect(bucketStarts(new Date('2025-12-15T00:00:00Z'), new Date('2026-03-01T00:00:00Z'), 'month', 'UTC')).toEqual(['2025-12-01', '2026-01-01', '2026-02-01']);
    expect(bucketStarts(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z'), 'day', 'UTC')).toEqual([]);
  });

  it('counts a day once across a daylight-saving change', () => {
    // Europe/Paris moves its clocks on 2026-03-29 and 2026-10-25.
    expect(bucketStarts(new Date('2026-03-27T23:00:00Z'), new Date('2026-03-30T22:00:00Z'), 'day', 'Europe/Paris')).toEqual(['2026-03-28', '2026-03-29', '2026-03-30']);
    expect(bucketStarts(new Date('2026-10-24T22:00:00Z'), new Date('2026-10-26T23:00:00Z'), 'day', 'Europe/Paris')).toEqual(['2026-10-25', '2026-10-26']);
  });
});
