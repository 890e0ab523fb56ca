/**
 * ISO-8601 week labels ("2026-W48"), the period a weekly intelligence report covers. Pure date arithmetic in
 * UTC, safe inside workflow code.
 */

export function isoWeekOf(date: Date): string {
  // The ISO week belongs to the year of its Thursday: move to this week's Thursday, then count weeks.
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * The week a report run at `runAt` covers: the one that just ended. The schedule fires on Monday 06:00 in the
 * workspace's zone, which is between Sunday 16:00 and Monday 20:00 UTC; three days earlier is Thursday or
 * Friday of the previous week in every zone.
 */
export function reportedIsoWeek(runAt: Date): string {
  return isoWeekOf(new Date(runAt.getTime() - 3 * 86_400_000));
}
