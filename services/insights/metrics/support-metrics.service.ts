/** Automation, hand-offs, resolution and ratings over time, from the warehouse. */
import type { Warehouse } from '../../../analytics/warehouse-client';
import { checkRange, toClickHouseTime } from '../time-range';
import { HAND_OFF_REASONS_SQL, SUPPORT_METRICS_SQL } from './support-metrics.queries';

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
}

export interface SupportMetrics {
  buckets: Bucket[];
  totals: Bucket;
  handOffReasons: Array<{ reason: string; count: number }>;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

type Counts = Omit<Bucket, 'start' | 'automationRate' | 'handOffRate' | 'resolutionRate' | 'satisfaction'>;

function withRates(start: string, c: Counts): Bucket {
  return {
    start,
    ...c,
    automationRate: ratio(c.answered, c.answered + c.handedOff),
    handOffRate: ratio(c.handedOff + c.escalatedByCustomer, c.questions),
    resolutionRate: ratio(c.resolved, c.conversations),
    satisfaction: ratio(c.ratedUp, c.ratedUp + c.ratedDown),
  };
}

export class SupportMetricsService {
  constructor(private readonly warehouse: Warehouse) {}

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
    };
    const [rows, reasons] = await Promise.all([
      this.warehouse.client.query({ query: SUPPORT_METRICS_SQL, query_params: params, format: 'JSONEachRow' }).then((r) => r.json<Counts & { bucket: string }>()),
      this.warehouse.client.query({ query: HAND_OFF_REASONS_SQL, query_params: params, format: 'JSONEachRow' }).then((r) => r.json<{ reason: string; count: number }>()),
    ]);
    const buckets = rows.map(({ bucket, ...counts }) => withRates(bucket, numeric(counts)));
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
      totals: withRates(buckets[0]?.start ?? '', sum),
      handOffReasons: reasons.map((r) => ({ reason: r.reason, count: Number(r.count) })),
    };
  }
}

function numeric(counts: Counts): Counts {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])) as unknown as Counts;
}
