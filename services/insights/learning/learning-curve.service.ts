/** The learning curve and the friction points, from the warehouse. */
import { AskerContext, ContextKind, contextParams, narrows } from '../asker-context';
import { productAreasOfPage } from '../../shared/product-areas';
import { cutsOnHours, rollupRange } from '../rollup-window';
import { bucketedRangeParams, checkRange } from '../time-range';
import { WarehouseReader, workspaceRangeParams } from '../warehouse-reader';
import type { Granularity } from '../metrics/support-metrics.service';
import {
  AUTOMATION_BY_CONTEXT_ROLLUP_SQL, AUTOMATION_BY_CONTEXT_SQL, FRICTION_ROLLUP_SQL, FRICTION_SQL, LEARNED_ANSWERS_SQL, LEARNING_COUNTS_IN_CONTEXT_ROLLUP_SQL,
  LEARNING_COUNTS_ROLLUP_SQL, LEARNING_CURVE_SQL,
} from './learning-curve.queries';

export interface LearningBucket {
  start: string;
  correctionsAbsorbed: number;
  learnedAnswersPublished: number;
  phrasingsLearned: number;
  topicsOpened: number;
  topicsClosed: number;
  /** Questions asked (in the context, when one is given). */
  questions: number;
  /** answered / (answered + handed off), in the context when one is given; null with no decisions. */
  automationRate: number | null;
}

export interface FrictionPoint {
  topic: string;
  plan: string;
  page: string;
  /** The page's first product area (product-areas.ts); '' for a page with none. */
  pageArea: string;
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
  /** Cuts the automation figures to askers on this plan and/or asking from this page area. */
  context?: AskerContext;
}

/** Questions, answers and hand-offs of one context bucket over a range. */
export interface ContextAutomation {
  kind: ContextKind;
  /** The plan, or the page area. */
  bucket: string;
  questions: number;
  answered: number;
  handedOff: number;
  /** answered / (answered + handedOff); null with no decisions. */
  automationRate: number | null;
}

const automationRate = (answered: number, handedOff: number) => (answered + handedOff > 0 ? answered / (answered + handedOff) : null);

export class LearningCurveService extends WarehouseReader {
  async curve(workspaceId: string, query: RangeQuery): Promise<LearningBucket[]> {
    checkRange(query.from, query.to);
    const params = {
      ...bucketedRangeParams(this.warehouse.database, workspaceId, query),
      ...rollupRange('range', query.from, query.to),
      ...contextParams(query.context),
    };
    const read = (sql: string) => this.rows<Record<string, string | number>>(sql, params);
    let rows: Array<Record<string, string | number>>;
    if (this.readFrom === 'rollups' && cutsOnHours(query.timeZone, query.from, query.to)) {
      const counts = narrows(query.context) ? LEARNING_COUNTS_IN_CONTEXT_ROLLUP_SQL : LEARNING_COUNTS_ROLLUP_SQL;
      const [countRows, learned] = await Promise.all([read(counts), read(LEARNED_ANSWERS_SQL)]);
      const learnedIn = new Map(learned.map((row) => [String(row.bucket), row.learnedAnswersPublished]));
      rows = countRows.map((row) => ({ ...row, learnedAnswersPublished: learnedIn.get(String(row.bucket)) ?? 0 }));
    } else {
      rows = await read(LEARNING_CURVE_SQL);
    }
    return rows.map((row) => {
      const answered = Number(row.answered);
      return {
        start: String(row.bucket),
        correctionsAbsorbed: Number(row.correctionsAbsorbed),
        learnedAnswersPublished: Number(row.learnedAnswersPublished),
        phrasingsLearned: Number(row.phrasingsLearned),
        topicsOpened: Number(row.topicsOpened),
        topicsClosed: Number(row.topicsClosed),
        questions: Number(row.questions),
        automationRate: automationRate(answered, Number(row.handedOff)),
      };
    });
  }

  /**
   * `context` keeps the signals of askers on that plan and/or asking from that page area; `by` ranks topics per plan
   * or per page area instead of per plan and page (the dropped keys come back '').
   */
  async friction(workspaceId: string, from: Date, to: Date, limit: number, { context, by }: { context?: AskerContext; by?: ContextKind } = {}): Promise<FrictionPoint[]> {
    checkRange(from, to);
    const rows = await this.rows<Record<string, string | number>>(this.readFrom === 'rollups' ? FRICTION_ROLLUP_SQL : FRICTION_SQL, {
      ...workspaceRangeParams(workspaceId, from, to),
      ...contextParams(context),
      by: by ?? '',
      limit,
    });
    return rows.map((row) => ({
      topic: String(row.topic),
      plan: String(row.plan_key),
      page: String(row.page_key),
      pageArea: by === 'pageArea' ? String(row.area_key) : (productAreasOfPage(String(row.page_key))[0] ?? ''),
      repeatContacts: Number(row.repeatContacts),
      downRatings: Number(row.downRatings),
      handOffs: Number(row.handOffs),
      dropOffs: Number(row.dropOffs),
    }));
  }

  /** Questions, answers and hand-offs in [from, to) per plan and per page area (buckets with neither left out). */
  async automationByContext(workspaceId: string, from: Date, to: Date): Promise<ContextAutomation[]> {
    checkRange(from, to);
    const rows = await this.rows<Record<string, string | number>>(this.readFrom === 'rollups' ? AUTOMATION_BY_CONTEXT_ROLLUP_SQL : AUTOMATION_BY_CONTEXT_SQL, workspaceRangeParams(workspaceId, from, to));
    return rows.map((row) => ({
      kind: row.kind as ContextKind,
      bucket: String(row.bucket),
      questions: Number(row.questions),
      answered: Number(row.answered),
      handedOff: Number(row.handedOff),
      automationRate: automationRate(Number(row.answered), Number(row.handedOff)),
    }));
  }
}
