/** Automation, hand-offs, resolution and ratings over time, from the warehouse. */
import type { Warehouse } from '../../../analytics/warehouse-client';
import { ReadFrom, cutsOnHours, rollupRange } from '../rollup-window';
import { checkRange, toClickHouseTime } from '../time-range';
import {
  CONVERSATIONS_ROLLUP_SQL, HAND_OFF_REASONS_ROLLUP_SQL, HAND_OFF_REASONS_SQL, RESPONSE_TIMES_ROLLUP_SQL, RESPONSE_TIMES_SQL,
  SUPPORT_COUNTS_ROLLUP_SQL, SUPPORT_METRICS_SQL,
} from './support-metrics.queries';

export type Granularity = 'day' | 'week' | 'month';

export interface MetricsQuery {
  from: Date;
  to: Date;
  granularity: Granularity;
  timeZone: string;
  topic?: string;
  plan?: string;
  page?: string;
  channel?: string;
  language?: string;
}

export interface Bucket {
  /** First day of the bucket in the time zone, YYYY-MM-DD. */
  start: string;
  questions: number;
  answered: number;
  handedOff: number;
  escalatedByCustomer: number;
  resolved: number;
  ratedUp: number;
  ratedDown: number;
  conversations: number;
  /** answered / (answered + handedOff); null with no decisions. */
  automationRate: number | null;
  /** (handedOff + escalatedByCustomer) / questions; null with no questions. */
  handOffRate: number | null;
  /** resolved / conversations; null with no conversations. */
  resolutionRate: number | null;
  /** ratedUp / (ratedUp + ratedDown); null with no ratings. */
  satisfaction: number | null;
  /** Conversations started in the bucket, seconds from hand-off to the first human reply; null with none. */
  medianFirstResponseSeconds: number | null;
  p90FirstResponseSeconds: number | null;
  /** Conversations started in the bucket, seconds from the first question to resolution; null with none. */
  medianResolutionSeconds: number | null;
  p90ResolutionSeconds: number | null;
}

export type ResponseTimes = Pick<Bucket, 'medianFirstResponseSeconds' | 'p90FirstResponseSeconds' | 'medianResolutionSeconds' | 'p90ResolutionSeconds'>;

const NO_TIMES: ResponseTimes = { medianFirstResponseSeconds: null, p90FirstResponseSeconds: null, medianResolutionSeconds: null, p90ResolutionSeconds: null };

/** How long after a range a reply or resolution still counts for a conversation that started in it. */
const FOLLOW_UP_DAYS = 30;

export interface SupportMetrics {
  buckets: Bucket[];
  totals: Bucket;
  handOffReasons: Array<{ reason: string; count: number }>;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

type Counts = Omit<Bucket, 'start' | 'automationRate' | 'handOffRate' | 'resolutionRate' | 'satisfaction' | keyof ResponseTimes>;

function withRates(start: string, c: Counts, times: ResponseTimes = NO_TIMES): Bucket {
  return {
    start,
    ...c,
    ...times,
    automationRate: ratio(c.answered, c.answered + c.handedOff),
    handOffRate: ratio(c.handedOff + c.escalatedByCustomer, c.questions),
    resolutionRate: ratio(c.resolved, c.conversations),
    satisfaction: ratio(c.ratedUp, c.ratedUp + c.ratedDown),
  };
}

const DAY_MS = 86_400_000;

export class SupportMetricsService {
  constructor(
    private readonly warehouse: Warehouse,
    private readonly readFrom: ReadFrom = 'rollups',
  ) {}

  async metrics(workspaceId: string, query: MetricsQuery): Promise<SupportMetrics> {
    checkRange(query.from, query.to);
    const params = {
      database: this.warehouse.database,
      workspaceId,
      from: toClickHouseTime(query.from),
      to: toClickHouseTime(query.to),
      granularity: query.granularity,
      timeZone: query.timeZone,
      topic: query.topic ?? '',
      plan: query.plan ?? '',
      page: query.page ?? '',
      channel: query.channel ?? '',
      language: query.language ?? '',
      ...rollupRange('range', query.from, query.to),
      ...rollupRange('window', query.from, new Date(query.to.getTime() + FOLLOW_UP_DAYS * DAY_MS)),
    };
    const rows = <T>(sql: string, extra: Record<string, unknown> = {}) =>
      this.warehouse.client.query({ query: sql, query_params: { ...params, ...extra }, format: 'JSONEachRow' }).then((r) => r.json<T>());
    // Counts are bucketed by the hour they happened in: rollups only where the zone cuts days on UTC hours.
    // Times are bucketed by each conversation's exact start, so their rollup serves every zone.
    // The language is in the events' payload, not in the rollups' grain: a language filter reads raw events.
    const rollups = this.readFrom === 'rollups' && !query.language;
    const countsFromRollups = rollups && cutsOnHours(query.timeZone, query.from, query.to);
    const timesSql = rollups ? RESPONSE_TIMES_ROLLUP_SQL : RESPONSE_TIMES_SQL;
    const timesOf = (total: number) => rows<TimesRow>(timesSql, { total, followUpDays: FOLLOW_UP_DAYS });
    const counts = countsFromRollups
      ? Promise.all([rows<Omit<Counts, 'conversations'> & { bucket: string }>(SUPPORT_COUNTS_ROLLUP_SQL), rows<{ bucket: string; conversations: number }>(CONVERSATIONS_ROLLUP_SQL)]).then(
          ([byBucket, conversations]) => {
            const conversationsOf = new Map(conversations.map((row) => [row.bucket, row.conversations]));
            return byBucket.map((row) => ({ ...row, conversations: conversationsOf.get(row.bucket) ?? 0 }));
          },
        )
      : rows<Counts & { bucket: string }>(SUPPORT_METRICS_SQL);
    const [countRows, reasons, times, totalTimes] = await Promise.all([
      counts,
      // Reasons are not bucketed: any zone.
      rows<{ reason: string; count: number }>(rollups ? HAND_OFF_REASONS_ROLLUP_SQL : HAND_OFF_REASONS_SQL),
      timesOf(0),
      timesOf(1),
    ]);
    const timesByBucket = new Map(times.map((row) => [row.bucket, responseTimes(row)]));
    const buckets = countRows.map(({ bucket, ...counts }) => withRates(bucket, numeric(counts), timesByBucket.get(bucket)));
    const sum = buckets.reduce<Counts>(
      (acc, b) => ({
        questions: acc.questions + b.questions,
        answered: acc.answered + b.answered,
        handedOff: acc.handedOff + b.handedOff,
        escalatedByCustomer: acc.escalatedByCustomer + b.escalatedByCustomer,
        resolved: acc.resolved + b.resolved,
        ratedUp: acc.ratedUp + b.ratedUp,
        ratedDown: acc.ratedDown + b.ratedDown,
        conversations: acc.conversations + b.conversations,
      }),
      { questions: 0, answered: 0, handedOff: 0, escalatedByCustomer: 0, resolved: 0, ratedUp: 0, ratedDown: 0, conversations: 0 },
    );
    return {
      buckets,
      totals: withRates(buckets[0]?.start ?? '', sum, totalTimes[0] ? responseTimes(totalTimes[0]) : NO_TIMES),
      handOffReasons: reasons.map((r) => ({ reason: r.reason, count: Number(r.count) })),
    };
  }
}

function numeric(counts: Counts): Counts {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])) as unknown as Counts;
}

interface TimesRow {
  bucket: string;
  medianFirstResponseSeconds: number | string | null;
  p90FirstResponseSeconds: number | string | null;
  medianResolutionSeconds: number | string | null;
  p90ResolutionSeconds: number | string | null;
  firstResponses: number | string;
  resolutions: number | string;
}

/** ClickHouse gives nan for a quantile over nothing; that is "no figure", not a number. */
function responseTimes(row: TimesRow): ResponseTimes {
  const seconds = (value: number | string | null, present: boolean) => {
    const n = Number(value);
    return present && Number.isFinite(n) ? n : null;
  };
  const responded = Number(row.firstResponses) > 0;
  const resolved = Number(row.resolutions) > 0;
  return {
    medianFirstResponseSeconds: seconds(row.medianFirstResponseSeconds, responded),
    p90FirstResponseSeconds: seconds(row.p90FirstResponseSeconds, responded),
    medianResolutionSeconds: seconds(row.medianResolutionSeconds, resolved),
    p90ResolutionSeconds: seconds(row.p90ResolutionSeconds, resolved),
  };
}
