/** The learning curve and the friction points, from the warehouse. */
import { AskerContext, ContextKind, contextParams, narrows } from '../asker-context';
import { productAreasOfPage } from '../../shared/product-areas';
import { cutsOnHours, rollupRange } from '../rollup-window';
import { bucketStarts } from '../calendar-buckets';
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
      const counted = new Set(countRows.map((row) => String(row.bucket)));
      // A bucket where answers were published but nothing was asked or taught has no counts row: it is kept too.
      const learnedOnly = learned.filter((row) => !counted.has(String(row.bucket))).map((row) => ({ bucket: row.bucket }));
      rows = [...countRows, ...learnedOnly].map((row) => ({ ...row, learnedAnswersPublished: learnedIn.get(String(row.bucket)) ?? 0 }));
    } else {
      rows = await read(LEARNING_CURVE_SQL);
    }
    const byStart = new Map(rows.map((row) => [String(row.bucket), row]));
    // Every bucket of the range in order, quiet ones at zero (as support's): a chart of the curve has no holes.
    const starts = [...new Set([...bucketStarts(query.from, query.to, query.granularity, query.timeZone), ...byStart.keys()])].sort();
    return starts.map((start) => {
      const row = byStart.get(start) ?? {};
      const count = (key: string) => Number(row[key] ?? 0);
      return {
        start,
        correctionsAbsorbed: count('correctionsAbsorbed'),
        learnedAnswersPublished: count('learnedAnswersPublished'),
        phrasingsLearned: count('phrasingsLearned'),
        topicsOpened: count('topicsOpened'),
        topicsClosed: count('topicsClosed'),
        questions: count('questions'),
        automationRate: automationRate(count('answered'), count('handedOff')),
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
