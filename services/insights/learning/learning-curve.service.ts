/** The learning curve and the friction points, from the warehouse. */
import type { Warehouse } from '../../../analytics/warehouse-client';
import { ReadFrom, cutsOnHours, rollupRange } from '../rollup-window';
import { bucketedRangeParams, checkRange, toClickHouseTime } from '../time-range';
import type { Granularity } from '../metrics/support-metrics.service';
import { FRICTION_ROLLUP_SQL, FRICTION_SQL, LEARNED_ANSWERS_SQL, LEARNING_COUNTS_ROLLUP_SQL, LEARNING_CURVE_SQL } from './learning-curve.queries';

export interface LearningBucket {
  start: string;
  correctionsAbsorbed: number;
  learnedAnswersPublished: number;
  phrasingsLearned: number;
  topicsOpened: number;
  topicsClosed: number;
  automationRate: number | null;
}

export interface FrictionPoint {
  topic: string;
  plan: string;
  page: string;
  repeatContacts: number;
  downRatings: number;
  handOffs: number;
  /** Answers the customer left with no rating, resolution or follow-up within the drop-off window. */
  dropOffs: number;
}

export interface RangeQuery {
  from: Date;
  to: Date;
  granularity: Granularity;
  timeZone: string;
}


export class LearningCurveService {
  constructor(
    private readonly warehouse: Warehouse,
    private readonly readFrom: ReadFrom = 'rollups',
  ) {}

  async curve(workspaceId: string, query: RangeQuery): Promise<LearningBucket[]> {
    checkRange(query.from, query.to);
    const params = {
      ...bucketedRangeParams(this.warehouse.database, workspaceId, query),
      ...rollupRange('range', query.from, query.to),
    };
    const read = (sql: string) =>
      this.warehouse.client.query({ query: sql, query_params: params, format: 'JSONEachRow' }).then((r) => r.json<Record<string, string | number>>());
    let rows: Array<Record<string, string | number>>;
    if (this.readFrom === 'rollups' && cutsOnHours(query.timeZone, query.from, query.to)) {
      const [counts, learned] = await Promise.all([read(LEARNING_COUNTS_ROLLUP_SQL), read(LEARNED_ANSWERS_SQL)]);
      const learnedIn = new Map(learned.map((row) => [String(row.bucket), row.learnedAnswersPublished]));
      rows = counts.map((row) => ({ ...row, learnedAnswersPublished: learnedIn.get(String(row.bucket)) ?? 0 }));
    } else {
      rows = await read(LEARNING_CURVE_SQL);
    }
    return rows.map((row) => {
      const answered = Number(row.answered);
      const decided = answered + Number(row.handedOff);
      return {
        start: String(row.bucket),
        correctionsAbsorbed: Number(row.correctionsAbsorbed),
        learnedAnswersPublished: Number(row.learnedAnswersPublished),
        phrasingsLearned: Number(row.phrasingsLearned),
        topicsOpened: Number(row.topicsOpened),
        topicsClosed: Number(row.topicsClosed),
        automationRate: decided > 0 ? answered / decided : null,
      };
    });
  }

  async friction(workspaceId: string, from: Date, to: Date, limit: number): Promise<FrictionPoint[]> {
    checkRange(from, to);
    const result = await this.warehouse.client.query({
      query: this.readFrom === 'rollups' ? FRICTION_ROLLUP_SQL : FRICTION_SQL,
      query_params: { database: this.warehouse.database, workspaceId, from: toClickHouseTime(from), to: toClickHouseTime(to), limit, ...rollupRange('range', from, to) },
      format: 'JSONEachRow',
    });
    const rows = await result.json<Record<string, string | number>>();
    return rows.map((row) => ({
      topic: String(row.topic),
      plan: String(row.plan),
      page: String(row.page),
      repeatContacts: Number(row.repeatContacts),
      downRatings: Number(row.downRatings),
      handOffs: Number(row.handOffs),
      dropOffs: Number(row.dropOffs),
    }));
  }
}
