/** Content that needs attention: stale items still served, and items nobody cites. */
import type { Warehouse } from '../../../analytics/warehouse-client';
import { toClickHouseTime } from '../time-range';
import { STALE_STILL_SERVED_SQL, UNCITED_SQL } from './stale-content.queries';

export interface StaleStillServed {
  knowledgeItemId: string;
  topic: string;
  /** Latest title the warehouse has seen for it ('' if none). */
  title: string;
  flaggedAt: string;
  timesServed: number;
  lastServedAt: string;
}

export interface Uncited {
  knowledgeItemId: string;
  topic: string;
  title: string;
  publishedAt: string;
}

export class StaleContentService {
  constructor(private readonly warehouse: Warehouse) {}

  async staleStillServed(workspaceId: string, limit: number): Promise<StaleStillServed[]> {
    const result = await this.warehouse.client.query({
      query: STALE_STILL_SERVED_SQL,
      query_params: { database: this.warehouse.database, workspaceId, limit },
      format: 'JSONEachRow',
    });
    return (await result.json<StaleStillServed>()).map((row) => ({ ...row, timesServed: Number(row.timesServed) }));
  }

  /** Published, not archived, and not cited since `now - days`. */
  async uncited(workspaceId: string, days: number, now: Date, limit: number): Promise<Uncited[]> {
    const since = new Date(now.getTime() - days * 86_400_000);
    const result = await this.warehouse.client.query({
      query: UNCITED_SQL,
      query_params: { database: this.warehouse.database, workspaceId, since: toClickHouseTime(since), limit },
      format: 'JSONEachRow',
    });
    return result.json<Uncited>();
  }
}
