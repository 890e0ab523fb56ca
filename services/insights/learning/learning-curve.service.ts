/** The learning curve and the friction points, from the warehouse. */
import { cutsOnHours, rollupRange } from '../rollup-window';
import { bucketedRangeParams, checkRange } from '../time-range';
import { WarehouseReader, workspaceRangeParams } from '../warehouse-reader';
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

export class LearningCurveService extends WarehouseReader {
  async curve(workspaceId: string, query: RangeQuery): Promise<LearningBucket[]> {
    checkRange(query.from, query.to);
    const params = {
      ...bucketedRangeParams(this.warehouse.database, workspaceId, query),
      ...rollupRange('range', query.from, query.to),
    };
    const read = (sql: string) => this.rows<Record<string, string | number>>(sql, params);
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
    const rows = await this.rows<Record<string, string | number>>(this.readFrom === 'rollups' ? FRICTION_ROLLUP_SQL : FRICTION_SQL, {
      ...workspaceRangeParams(workspaceId, from, to),
      limit,
    });
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
