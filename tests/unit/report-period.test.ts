import { mondayOfIsoWeek, previousIsoWeek, reportPeriod } from '../../services/insights/report/report-period';

describe('report periods', () => {
  it('finds the Monday of an ISO week, across year ends', () => {
    expect(mondayOfIsoWeek('2026-W48').toISOString().slice(0, 10)).toBe('2026-11-23');
    expect(mondayOfIsoWeek('2026-W01').toISOString().slice(0, 10)).toBe('2025-12-29');
    expect(mondayOfIsoWeek('2026-W53').toISOString().slice(0, 10)).toBe('2026-12-28');
    expect(previousIsoWeek('2027-W01')).toBe('2026-W53');
  });

  it('refuses labels that name no week', () => {
    for (const label of ['2026-48', '2026-W00', '2025-W53', '2026-W54', 'W48']) expect(() => mondayOfIsoWeek(label)).toThrow(/names no ISO week/);
  });

  it('spans Monday to Monday at local midnight, 167 hours over a daylight-saving change', () => {
    const sut = reportPeriod('2026-W13', 'Europe/Paris');
    // Paris moves to summer time on Sunday 29 March 2026.
    expect(sut.start.toISOString()).toBe('2026-03-22T23:00:00.000Z');
    expect(sut.end.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(reportPeriod('2026-W48', 'America/Los_Angeles').start.toISOString()).toBe('2026-11-23T08:00:00.000Z');
    expect(reportPeriod('2026-W48', 'UTC').end.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });
});
