/**
 * The instants an ISO week ("2026-W48") spans in a workspace's time zone: Monday 00:00 local to the next
 * Monday 00:00 local, which is not always 7 × 24 h (daylight-saving changes).
 */
import { isoWeekOf, mondayOfIsoWeek as mondayOf } from '../../../workflows/iso-week';
import { badInput } from '../../shared/errors';

const DAY = 86_400_000;

export interface ReportPeriod {
  isoWeek: string;
  /** Monday of the week, YYYY-MM-DD. */
  monday: string;
  start: Date;
  end: Date;
}

/** Monday (as a UTC date) of an ISO week; BAD_USER_INPUT for labels that name no week. */
export function mondayOfIsoWeek(isoWeek: string): Date {
  const monday = mondayOf(isoWeek);
  if (!monday) throw badInput(`"${isoWeek}" names no ISO week; write it like 2026-W48 (weeks 01 to 52, or 53 in long years)`);
  return monday;
}

/** The ISO week `weeksBack` weeks before `isoWeek`. */
export function previousIsoWeek(isoWeek: string, weeksBack = 1): string {
  return isoWeekOf(new Date(mondayOfIsoWeek(isoWeek).getTime() - weeksBack * 7 * DAY));
}

export function reportPeriod(isoWeek: string, timeZone: string): ReportPeriod {
  const monday = mondayOfIsoWeek(isoWeek);
  const nextMonday = new Date(monday.getTime() + 7 * DAY);
  return { isoWeek, monday: monday.toISOString().slice(0, 10), start: localMidnight(monday, timeZone), end: localMidnight(nextMonday, timeZone) };
}

/** The instant a calendar date (given as its UTC midnight) starts in `timeZone`. */
function localMidnight(date: Date, timeZone: string): Date {
  // Guess with the offset at UTC midnight, then correct once with the offset at the guess (DST boundaries).
  let instant = date.getTime() - offsetMs(date, timeZone);
  instant = date.getTime() - offsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`. */
function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}
