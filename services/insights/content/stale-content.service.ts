/** Content that needs attention: stale items still served, and items nobody cites. */
import { compareText } from '../compare-text';
import { rollupRange } from '../rollup-window';
import { toClickHouseTime } from '../time-range';
import { WarehouseReader } from '../warehouse-reader';
import { servedSinceFlagSql, stillStaleSql, uncitedSql } from './stale-content.queries';

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

export class StaleContentService extends WarehouseReader {
  /** Items flagged stale at `now`, not edited since, that answers cited after the flag and before `now`, most served first. */
  async staleStillServed(workspaceId: string, limit: number, now = new Date()): Promise<StaleStillServed[]> {
    // Two queries: the stale items (a few), then their citations by item and flag as bound values, so the citations
    // are read by index ranges and the stale items worked out once.
    const stale = await this.rows<Omit<StaleStillServed, 'timesServed' | 'lastServedAt'>>(stillStaleSql(this.readFrom), { workspaceId, until: toClickHouseTime(now) });
    if (stale.length === 0) return [];
    const served = await this.rows<{ knowledgeItemId: string; timesServed: number | string; lastServedAt: string }>(servedSinceFlagSql(this.readFrom), {
      workspaceId,
      items: stale.map((item) => item.knowledgeItemId),
      flags: new Map(stale.map((item) => [item.knowledgeItemId, item.flaggedAt])),
      until: toClickHouseTime(now),
    });
    const servedOf = new Map(served.map((row) => [row.knowledgeItemId, row]));
    return stale
      .flatMap((item) => {
        const citations = servedOf.get(item.knowledgeItemId);
        const timesServed = Number(citations?.timesServed ?? 0);
        return timesServed > 0 ? [{ ...item, timesServed, lastServedAt: citations!.lastServedAt }] : [];
      })
      .sort((a, b) => b.timesServed - a.timesServed || compareText(a.knowledgeItemId, b.knowledgeItemId))
      .slice(0, limit);
  }

  /**
   * Items live at `now` (published, not archived or reverted) that no answer cited in the `days` before it,
   * oldest first, at most `limit`; with how many there are in all and how many items were live.
   */
  async uncited(workspaceId: string, days: number, now: Date, limit: number): Promise<UncitedContent> {
    const params = {
      workspaceId,
      until: toClickHouseTime(now),
      limit,
      ...rollupRange('window', new Date(now.getTime() - days * 86_400_000), now),
    };
    const rows = await this.rows<Uncited & { cited: number | boolean; published: number; uncited: number }>(uncitedSql(this.readFrom), params);
    return {
      items: rows.filter((row) => !Number(row.cited)).map(({ knowledgeItemId, topic, title, publishedAt }) => ({ knowledgeItemId, topic, title, publishedAt })),
      uncitedCount: Number(rows[0]?.uncited ?? 0),
      publishedCount: Number(rows[0]?.published ?? 0),
    };
  }
}
