/** Time ranges and buckets, the same for every insights query. */
import { badInput } from '../shared/errors';

/** Longest range any insights query accepts (reads included: a spike query's baseline counts too). */
export const MAX_RANGE_DAYS = 731;

/** ClickHouse's DateTime64 text form, in UTC. */
export const toClickHouseTime = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');

export function checkRange(from: Date, to: Date): void {
  if (!(from < to)) throw badInput('from must be before to');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw badInput(`A range may span at most ${MAX_RANGE_DAYS} days`);
}

/** What BUCKET_SQL and a range's bounds bind for one workspace: {database}, {workspaceId}, {from}, {to}, {granularity}, {timeZone}. */
export function bucketedRangeParams(database: string, workspaceId: string, range: { from: Date; to: Date; granularity: string; timeZone: string }) {
  return {
    database,
    workspaceId,
    from: toClickHouseTime(range.from),
    to: toClickHouseTime(range.to),
    granularity: range.granularity,
    timeZone: range.timeZone,
  };
}

/** SQL for the first day of an event's bucket in a time zone; binds {granularity:String} and {timeZone:String}. */
export const BUCKET_SQL = `multiIf({granularity:String} = 'week', toMonday(toDate(occurred_at, {timeZone:String})),
            {granularity:String} = 'month', toStartOfMonth(toDate(occurred_at, {timeZone:String})),
            toDate(occurred_at, {timeZone:String}))`;
