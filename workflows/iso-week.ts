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

const ISO_WEEK_LABEL = /^(\d{4})-W(\d{2})$/;

/** Monday (UTC midnight) of the ISO week a label names, or null when it names none ("2025-W53", "2026-48"). */
export function mondayOfIsoWeek(label: string): Date | null {
  const match = ISO_WEEK_LABEL.exec(label);
  if (!match) return null;
  const [year, week] = [Number(match[1]), Number(match[2])];
  // 4 January is always in week 1; its week's Monday starts the ISO year.
  const jan4 = Date.UTC(year, 0, 4);
  const monday = new Date(jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000 + (week - 1) * 7 * 86_400_000);
  return week >= 1 && isoWeekOf(monday) === label ? monday : null;
}
