/** Activity figures for a workspace over a time range, read from the warehouse. */
import { checkRange } from '../time-range';
import { WarehouseReader, workspaceRangeParams } from '../warehouse-reader';
import { ACTIVITY_SUMMARY_ROLLUP_SQL, ACTIVITY_SUMMARY_SQL } from './activity.queries';

export interface ActivityFigures {
  from: Date;
  to: Date;
  questions: number;
  answered: number;
  handedOff: number;
}

const DAY_MS = 86_400_000;

export class ActivityService extends WarehouseReader {
  async summary(workspaceId: string, from?: Date, to?: Date): Promise<ActivityFigures> {
    const end = to ?? new Date();
    const start = from ?? new Date(end.getTime() - 30 * DAY_MS);
    checkRange(start, end);
    const [row] = await this.rows<{ questions: number; answered: number; handedOff: number }>(
      this.readFrom === 'rollups' ? ACTIVITY_SUMMARY_ROLLUP_SQL : ACTIVITY_SUMMARY_SQL,
      workspaceRangeParams(workspaceId, start, end),
    );
    return { from: start, to: end, questions: Number(row?.questions ?? 0), answered: Number(row?.answered ?? 0), handedOff: Number(row?.handedOff ?? 0) };
  }
}
