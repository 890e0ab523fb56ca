/** What every insights service that reads the warehouse shares: the warehouse, where it reads from, and a query's rows. */
import type { Warehouse } from '../../analytics/warehouse-client';
import { ReadFrom, rollupRange } from './rollup-window';
import { toClickHouseTime } from './time-range';

export abstract class WarehouseReader {
  constructor(
    protected readonly warehouse: Warehouse,
    protected readonly readFrom: ReadFrom = 'rollups',
  ) {}

  /** The rows a query returns, with `params` bound and `{database}` bound to the warehouse's database. */
  protected async rows<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    const result = await this.warehouse.client.query({ query, query_params: { database: this.warehouse.database, ...params }, format: 'JSONEachRow' });
    return result.json<T>();
  }
}

/** A workspace's range [from, to), bound as {workspaceId}, {from} and {to}, and as the rollup range `range`. */
export const workspaceRangeParams = (workspaceId: string, from: Date, to: Date) => ({
  workspaceId,
  from: toClickHouseTime(from),
  to: toClickHouseTime(to),
  ...rollupRange('range', from, to),
});
