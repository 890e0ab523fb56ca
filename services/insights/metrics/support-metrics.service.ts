/** Automation, hand-offs, resolution and ratings over time, from the warehouse. */
import { compareText } from '../compare-text';
import { cutsOnHours, isWholeHour, rollupRange } from '../rollup-window';
import { bucketStarts } from '../calendar-buckets';
import { bucketedRangeParams, checkRange } from '../time-range';
import { WarehouseReader } from '../warehouse-reader';
import {
  CSAT_BY_TOPIC_SQL, HAND_OFF_REASONS_SQL, SUPPORT_METRICS_SQL, TimesScope, responseTimesRollupSql, responseTimesSql, supportRollupSql,
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
  /** CSAT responses per score, 1 to 5 (csat1 = very dissatisfied). */
  csat1: number;
  csat2: number;
  csat3: number;
  csat4: number;
  csat5: number;
  /** Conversations started in the bucket: their first question (or a question outside any conversation) asked in it. */
  conversations: number;
  /** CSAT responses after resolution (scores 1–5). */
  csatResponses: number;
  /** csat1..csat5 as a list, index 0 = score 1. */
  csatScores: number[];
  /** Mean CSAT score; null with no responses. */
  csatAverage: number | null;
  /** Share of CSAT responses scoring 4 or 5 (the usual CSAT %); null with no responses. */
  csatSatisfied: number | null;
  /** answered / (answered + handedOff); null with no decisions. */
  automationRate: number | null;
  /** (handedOff + escalatedByCustomer) / questions; null with no questions. */
  handOffRate: number | null;
  /** resolved / conversations (resolutions in the bucket over conversations started in it); null with none started. */
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

export const NO_TIMES: ResponseTimes = { medianFirstResponseSeconds: null, p90FirstResponseSeconds: null, medianResolutionSeconds: null, p90ResolutionSeconds: null };


/** CSAT over the range for one topic. */
export interface TopicCsat {
  topic: string;
  responses: number;
  average: number;
  satisfied: number;
  /** Responses per score, 1 to 5. */
  scores: number[];
}

export interface SupportMetrics {
  buckets: Bucket[];
  totals: Bucket;
  handOffReasons: Array<{ reason: string; count: number }>;
  /** Topics with CSAT responses, most responses first. */
  csatByTopic: TopicCsat[];
}

/** A bucket's figures but its response times. */
export type BucketCounts = Omit<Bucket, keyof ResponseTimes>;

/** SupportMetrics without response times: every figure that sums (the costly exact quantiles are asked for apart). */
export interface SupportCounts {
  buckets: BucketCounts[];
  totals: BucketCounts;
  handOffReasons: Array<{ reason: string; count: number }>;
  /** Topics with CSAT responses, most responses first. */
  csatByTopic: TopicCsat[];
}

const CSAT_SCORES = ['csat1', 'csat2', 'csat3', 'csat4', 'csat5'] as const;
const NO_CSAT = { csat1: 0, csat2: 0, csat3: 0, csat4: 0, csat5: 0 };

/** Responses, mean score and the share of 4s and 5s of counts per score (index 0 = score 1). */
function csatOf(scores: readonly number[]): { responses: number; average: number | null; satisfied: number | null } {
  const responses = scores.reduce((sum, n) => sum + n, 0);
  const total = scores.reduce((sum, n, i) => sum + n * (i + 1), 0);
  return { responses, average: ratio(total, responses), satisfied: ratio(scores[3]! + scores[4]!, responses) };
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

type Counts = Omit<Bucket, 'start' | 'automationRate' | 'handOffRate' | 'resolutionRate' | 'satisfaction' | 'csatResponses' | 'csatScores' | 'csatAverage' | 'csatSatisfied' | keyof ResponseTimes>;

const ZERO: Counts = { questions: 0, answered: 0, handedOff: 0, escalatedByCustomer: 0, resolved: 0, ratedUp: 0, ratedDown: 0, ...NO_CSAT, conversations: 0 };

function withRates(start: string, c: Counts): BucketCounts {
  const csatScores = CSAT_SCORES.map((score) => c[score]);
  const csat = csatOf(csatScores);
  return {
    start,
    ...c,
    csatResponses: csat.responses,
    csatScores,
    csatAverage: csat.average,
    csatSatisfied: csat.satisfied,
    automationRate: ratio(c.answered, c.answered + c.handedOff),
    handOffRate: ratio(c.handedOff + c.escalatedByCustomer, c.questions),
    resolutionRate: ratio(c.resolved, c.conversations),
    satisfaction: ratio(c.ratedUp, c.ratedUp + c.ratedDown),
  };
}

/** Response times over a range: the range's own, and each bucket's by its start (per the scope asked for). */
export interface ResponseTimesByScope {
  range: ResponseTimes;
  buckets: Map<string, ResponseTimes>;
}

export class SupportMetricsService extends WarehouseReader {
  /** Every figure: the counts and the response times of the range and of each bucket. */
  async metrics(workspaceId: string, query: MetricsQuery): Promise<SupportMetrics> {
    const [counts, times] = await Promise.all([this.counts(workspaceId, query), this.responseTimes(workspaceId, query, 'both')]);
    return {
      ...counts,
      buckets: counts.buckets.map((bucket) => ({ ...bucket, ...(times.buckets.get(bucket.start) ?? NO_TIMES) })),
      totals: { ...counts.totals, ...times.range },
    };
  }

  /** Every figure but each bucket's response times: the range's times only (what the weekly report shows). */
  async rangeMetrics(workspaceId: string, query: MetricsQuery): Promise<SupportCounts & { totals: Bucket }> {
    const [counts, times] = await Promise.all([this.counts(workspaceId, query), this.responseTimes(workspaceId, query, 'range')]);
    return { ...counts, totals: { ...counts.totals, ...times.range } };
  }

  /** The figures that sum: counts, rates, CSAT, hand-off reasons. */
  async counts(workspaceId: string, query: MetricsQuery): Promise<SupportCounts> {
    checkRange(query.from, query.to);
    const params = this.params(workspaceId, query);
    const rows = <T>(sql: string) => this.rows<T>(sql, params);
    // Counts are bucketed by the hour they happened in: rollups only where the zone cuts days on UTC hours.
    // The language is in the events' payload, not in the hourly rollups' grain: a language filter reads raw events.
    const rollups = this.readFrom === 'rollups' && !query.language;
    const countsFromRollups = rollups && cutsOnHours(query.timeZone, query.from, query.to);
    // chDB runs one query at a time: from the rollups, counts, hand-off reasons and CSAT by topic are one query
    // (reasons and CSAT by topic are not bucketed: they come from the rollups in any zone).
    const sql = supportRollupSql(query, { bucketed: countsFromRollups, edges: !(isWholeHour(query.from) && isWholeHour(query.to)) });
    const fromRollups = () => rows<FigureRow>(sql).then(figuresOf);
    const { counts: countRows, reasons, csat: csatRows }: Figures = countsFromRollups
      ? await fromRollups()
      : await Promise.all([
          rows<Counts & { bucket: string }>(SUPPORT_METRICS_SQL),
          rollups ? fromRollups() : Promise.all([rows<Figures['reasons'][number]>(HAND_OFF_REASONS_SQL), rows<Figures['csat'][number]>(CSAT_BY_TOPIC_SQL)]).then(([reasons, csat]) => ({ reasons, csat })),
        ]).then(([counts, { reasons, csat }]) => ({ counts, reasons, csat }));
    const withEvents = new Map(countRows.map(({ bucket, ...counts }) => [bucket, withRates(bucket, numeric(counts))]));
    // Every bucket of the range, quiet ones at zero (a chart of support by day has no holes), in order.
    const starts = new Set([...bucketStarts(query.from, query.to, query.granularity, query.timeZone), ...withEvents.keys()]);
    const buckets = [...starts].sort().map((start) => withEvents.get(start) ?? withRates(start, ZERO));
    const sum = buckets.reduce<Counts>((acc, b) => {
      const next = { ...acc };
      for (const key of Object.keys(ZERO) as Array<keyof Counts>) next[key] = acc[key] + b[key];
      return next;
    }, ZERO);
    return {
      buckets,
      totals: withRates(buckets[0]?.start ?? '', sum),
      handOffReasons: reasons.map((r) => ({ reason: r.reason, count: Number(r.count) })),
      csatByTopic: byTopic(csatRows),
    };
  }

  /**
   * Median and 90th-percentile times to first response and to resolution, exact, for the range, its buckets or
   * both. Their table (conversation_times, one row per conversation's stamped first, with its start and first
   * question's context) serves every filter and zone; raw events are the reference it is tested against.
   */
  async responseTimes(workspaceId: string, query: MetricsQuery, scope: TimesScope): Promise<ResponseTimesByScope> {
    checkRange(query.from, query.to);
    const sql = this.readFrom === 'rollups' ? responseTimesRollupSql(scope) : responseTimesSql(scope);
    const rows = await this.rows<TimesRow>(sql, this.params(workspaceId, query));
    const range = { ...NO_TIMES };
    const buckets = new Map<string, ResponseTimes>();
    for (const row of rows) {
      let times = range;
      if (Number(row.total) !== 1) {
        times = buckets.get(row.bucket) ?? { ...NO_TIMES };
        buckets.set(row.bucket, times);
      }
      Object.assign(times, timesOf(row));
    }
    return { range, buckets };
  }

  private params(workspaceId: string, query: MetricsQuery) {
    return {
      ...bucketedRangeParams(this.warehouse.database, workspaceId, query),
      topic: query.topic ?? '',
      plan: query.plan ?? '',
      page: query.page ?? '',
      channel: query.channel ?? '',
      language: query.language ?? '',
      ...rollupRange('range', query.from, query.to),
    };
  }
}

interface Figures {
  counts: Array<Counts & { bucket: string }>;
  reasons: Array<{ reason: string; count: number | string }>;
  csat: Array<{ topic: string; score: number | string; responses: number | string }>;
}

/** A row of supportRollupSql: sums per bucket (or per topic, for CSAT by topic), event type, hand-off reason and score. */
interface FigureRow {
  kind: 'count' | 'csat_topic';
  bucket: string;
  topic: string;
  measure: string;
  handoff_reason: string;
  score: number | string;
  /** Events. */
  n: number | string;
  /** Conversations started. */
  c: number | string;
}

/** The Counts field an event type (and score) adds to; undefined for none. */
function fieldOf(measure: string, score: number): keyof Counts | undefined {
  switch (measure) {
    case 'question_asked': return 'questions';
    case 'answer_shown': return 'answered';
    case 'handed_off': return 'handedOff';
    case 'escalated': return 'escalatedByCustomer';
    case 'resolved': return 'resolved';
    case 'answer_rated': return score > 0 ? 'ratedUp' : score < 0 ? 'ratedDown' : undefined;
    case 'csat_rated': return score >= 1 && score <= 5 ? CSAT_SCORES[score - 1] : undefined;
    default: return undefined;
  }
}


/** supportRollupSql's rows in the shapes of the raw queries': buckets in order, reasons most frequent first. */
function figuresOf(rows: FigureRow[]): Figures {
  const buckets = new Map<string, Counts>();
  const reasons = new Map<string, number>();
  const csat: Figures['csat'] = [];
  for (const row of rows) {
    const n = Number(row.n);
    const score = Number(row.score);
    if (row.kind === 'csat_topic') {
      csat.push({ topic: row.topic, score, responses: n });
      continue;
    }
    // Every bucket with a support event is one, as in the raw query, whatever the event adds to.
    const counts = buckets.get(row.bucket) ?? { ...ZERO };
    buckets.set(row.bucket, counts);
    const field = fieldOf(row.measure, score);
    if (field) counts[field] += n;
    counts.conversations += Number(row.c);
    if (row.measure === 'handed_off') reasons.set(row.handoff_reason, (reasons.get(row.handoff_reason) ?? 0) + n);
  }
  return {
    counts: [...buckets].sort(([a], [b]) => compareText(a, b)).map(([bucket, counts]) => ({ bucket, ...counts })),
    reasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || compareText(a.reason, b.reason)),
    csat,
  };
}

function byTopic(rows: Figures['csat']): TopicCsat[] {
  const scoresOf = new Map<string, number[]>();
  for (const row of rows) {
    const score = Number(row.score);
    if (score < 1 || score > 5) continue;
    const scores = scoresOf.get(row.topic) ?? [0, 0, 0, 0, 0];
    scores[score - 1]! += Number(row.responses);
    scoresOf.set(row.topic, scores);
  }
  return [...scoresOf]
    .map(([topic, scores]) => {
      const { responses, average, satisfied } = csatOf(scores);
      return { topic, responses, average: average!, satisfied: satisfied!, scores };
    })
    .filter((topic) => topic.responses > 0)
    .sort((a, b) => b.responses - a.responses || a.topic.localeCompare(b.topic));
}

function numeric(counts: Counts): Counts {
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])) as unknown as Counts;
}

interface TimesRow {
  bucket: string;
  /** 1 for the range's own figures (every bucket together), 0 for a bucket's. */
  total: number | string;
  kind: 'first_response' | 'resolution';
  /** Median and 90th percentile, ms (nan over nothing). */
  levels: Array<number | string>;
  n: number | string;
}

/** One kind's row as figures in seconds; ClickHouse gives nan for a quantile over nothing: "no figure". */
function timesOf(row: TimesRow): Partial<ResponseTimes> {
  const seconds = (value: number | string | undefined) => {
    const n = Number(value);
    return Number(row.n) > 0 && Number.isFinite(n) ? n / 1000 : null;
  };
  const [median, p90] = [seconds(row.levels[0]), seconds(row.levels[1])];
  return row.kind === 'first_response'
    ? { medianFirstResponseSeconds: median, p90FirstResponseSeconds: p90 }
    : { medianResolutionSeconds: median, p90ResolutionSeconds: p90 };
}
