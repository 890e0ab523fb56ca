import { isoWeekOf, reportedIsoWeek } from '../../workflows/iso-week';

describe('ISO week labels', () => {
  test.each([
    ['2026-11-26T12:00:00Z', '2026-W48'],
    ['2021-01-03T23:59:59Z', '2020-W53'], // a Sunday still in the last week of 2020
    ['2024-12-30T00:00:00Z', '2025-W01'], // a Monday already in the first week of 2025
    ['2026-01-01T00:00:00Z', '2026-W01'],
  ])('%s is in %s', (instant, week) => {
    expect(isoWeekOf(new Date(instant))).toBe(week);
  });

  test.each([
    ['Monday 06:00 in Pacific/Kiritimati (Sunday 16:00 UTC)', '2026-11-29T16:00:00Z'],
    ['Monday 06:00 in Europe/Paris', '2026-11-30T05:00:00Z'],
    ['Monday 06:00 in Pacific/Pago_Pago (Monday 17:00 UTC)', '2026-11-30T17:00:00Z'],
  ])('a report run at %s covers the week that just ended', (_zone, runAt) => {
    expect(reportedIsoWeek(new Date(runAt))).toBe('2026-W48');
  });
});
