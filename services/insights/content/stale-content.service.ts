/** Content that needs attention: stale items still served, and items nobody cites. */
import type { Warehouse } from '../../../analytics/warehouse-client';
import { toClickHouseTime } from '../time-range';
import { STALE_STILL_SERVED_SQL, UNCITED_COUNTS_SQL, UNCITED_SQL } from './stale-content.queries';

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

export interface UncitedContent {
  /** The oldest uncited items, at most the limit asked for. */
  items: Uncited[];
  /** Every uncited item, beyond the limit too. */
  uncitedCount: number;
  /** Items live at the end of the window, cited or not. */
  publishedCount: number;
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

  /**
   * Items live at `now` (published, not archived or reverted) that no answer cited in the `days` before it,
   * oldest first, at most `limit`; with how many there are in all and how many items were live.
   */
  async uncited(workspaceId: string, days: number, now: Date, limit: number): Promise<UncitedContent> {
    const params = {
      database: this.warehouse.database,
      workspaceId,
      since: toClickHouseTime(new Date(now.getTime() - days * 86_400_000)),
      until: toClickHouseTime(now),
      limit,
    };
    const [items, counts] = await Promise.all([
      this.warehouse.client.query({ query: UNCITED_SQL, query_params: params, format: 'JSONEachRow' }).then((r) => r.json<Uncited>()),
      this.warehouse.client.query({ query: UNCITED_COUNTS_SQL, query_params: params, format: 'JSONEachRow' }).then((r) => r.json<{ published: number; uncited: number }>()),
    ]);
    return { items, uncitedCount: Number(counts[0]?.uncited ?? 0), publishedCount: Number(counts[0]?.published ?? 0) };
  }
}
