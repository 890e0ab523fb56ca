/** Activity figures for a workspace over a time range, read from the warehouse. */
import type { Warehouse } from '../../../analytics/warehouse-client';
import { checkRange, toClickHouseTime } from '../time-range';
import { ReadFrom, rollupRange } from '../rollup-window';
import { ACTIVITY_SUMMARY_ROLLUP_SQL, ACTIVITY_SUMMARY_SQL } from './activity.queries';

export interface ActivityFigures {
  from: Date;
  to: Date;
  questions: number;
  answered: number;
  handedOff: number;
}

const DAY_MS = 86_400_000;

export class ActivityService {
  constructor(
    private readonly warehouse: Warehouse,
    private readonly readFrom: ReadFrom = 'rollups',
  ) {}

  async summary(workspaceId: string, from?: Date, to?: Date): Promise<ActivityFigures> {
    const end = to ?? new Date();
    const start = from ?? new Date(end.getTime() - 30 * DAY_MS);
    checkRange(start, end);
    const result = await this.warehouse.client.query({
      query: this.readFrom === 'rollups' ? ACTIVITY_SUMMARY_ROLLUP_SQL : ACTIVITY_SUMMARY_SQL,
      query_params: { database: this.warehouse.database, workspaceId, from: toClickHouseTime(start), to: toClickHouseTime(end), ...rollupRange('range', start, end) },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ questions: number; answered: number; handedOff: number }>();
    return { from: start, to: end, questions: Number(row?.questions ?? 0), answered: Number(row?.answered ?? 0), handedOff: Number(row?.handedOff ?? 0) };
  }
}
