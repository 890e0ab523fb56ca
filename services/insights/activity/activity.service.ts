/** Activity figures for a workspace over a time range, read from the warehouse. */
import type { Warehouse } from '../../../analytics/warehouse-client';
import { badInput } from '../../shared/errors';
import { ACTIVITY_SUMMARY_SQL } from './activity.queries';

export interface ActivityFigures {
  from: Date;
  to: Date;
  questions: number;
  answered: number;
  handedOff: number;
}

const MAX_RANGE_DAYS = 366;
const DAY_MS = 86_400_000;

/** ClickHouse's DateTime64 text form, in UTC. */
const toClickHouseTime = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');

export class ActivityService {
  constructor(private readonly warehouse: Warehouse) {}

  async summary(workspaceId: string, from?: Date, to?: Date): Promise<ActivityFigures> {
    const end = to ?? new Date();
    const start = from ?? new Date(end.getTime() - 30 * DAY_MS);
    if (!(start < end)) throw badInput('from must be before to');
    if (end.getTime() - start.getTime() > MAX_RANGE_DAYS * DAY_MS) throw badInput(`A range may span at most ${MAX_RANGE_DAYS} days`);
    const result = await this.warehouse.client.query({
      query: ACTIVITY_SUMMARY_SQL,
      query_params: { database: this.warehouse.database, workspaceId, from: toClickHouseTime(start), to: toClickHouseTime(end) },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ questions: number; answered: number; handedOff: number }>();
    return { from: start, to: end, questions: Number(row?.questions ?? 0), answered: Number(row?.answered ?? 0), handedOff: Number(row?.handedOff ?? 0) };
  }
}
