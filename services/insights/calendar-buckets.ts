/**
 * The buckets of a range in a workspace's calendar: each day, ISO week (from Monday) or month that any instant of
 * [from, to) falls in, in its time zone. The warehouse returns only buckets with events; a chart needs every one.
 * The same cut as BUCKET_SQL (time-range.ts) makes in ClickHouse: toDate, toMonday, toStartOfMonth in the zone.
 */
import type { Granularity } from './metrics/support-metrics.service';

const DAY = 86_400_000;

/** The calendar date (YYYY-MM-DD) an instant falls on in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  // en-CA spells a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

const utcMidnight = (date: string) => Date.parse(`${date}T00:00:00Z`);
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The first day of the bucket holding a date: the date itself, its week's Monday, or its month's first day. */
export function bucketStart(date: string, granularity: Granularity): string {
  if (granularity === 'month') return `${date.slice(0, 8)}01`;
  if (granularity === 'week') {
    const ms = utcMidnight(date);
    return isoDate(ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY);
  }
  return date;
}

function nextBucket(start: string, granularity: Granularity): string {
  if (granularity === 'month') {
    const [year, month] = start.split('-').map(Number) as [number, number];
    return isoDate(Date.UTC(year, month, 1));
  }
  return isoDate(utcMidnight(start) + (granularity === 'week' ? 7 : 1) * DAY);
}

/** Every bucket start of [from, to) in the zone, in order (none for an empty range). */
export function bucketStarts(from: Date, to: Date, granularity: Granularity, timeZone: string): string[] {
  if (!(from < to)) return [];
  const last = bucketStart(localDate(new Date(to.getTime() - 1), timeZone), granularity);
  const starts: string[] = [];
  for (let start = bucketStart(localDate(from, timeZone), granularity); start <= last; start = nextBucket(start, granularity)) starts.push(start);
  return starts;
}
