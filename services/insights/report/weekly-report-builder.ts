/**
 * Computes a weekly intelligence report from the same services the insights queries use, so every figure
 * in it equals what `support` (CSAT by topic included), `learningCurve`, `topicSpikes`, `knowledgeGaps`, `frictionPoints` and
 * `staleContent` return for the same week in the same time zone; automation by context equals `learningCurve` with
 * that plan or page area as its context.
 */
import type { StaleContentService } from '../content/stale-content.service';
import type { KnowledgeGapsService } from '../gaps/knowledge-gaps.service';
import type { ContextAutomation, LearningCurveService } from '../learning/learning-curve.service';
import type { Bucket, BucketCounts, SupportMetricsService } from '../metrics/support-metrics.service';
import { SPIKE_DEFAULTS, TopicSpikesService } from '../trends/topic-spikes.service';
import { previousIsoWeek, reportPeriod } from './report-period';
import type { ContextAutomationChange, DailyVolume, HeadlineFigure, LearningWeek, WeeklyHeadline, WeeklyReportContent } from './weekly-report-content';
import { deriveFindings } from './weekly-report-findings';

/** Weeks of learning curve shown, the reported one included. */
const LEARNING_WEEKS = 8;
const LIST_LENGTH = 5;
/** Topics shown in the CSAT table: the ones with the most responses. */
const CSAT_TOPICS = 10;
const UNCITED_DAYS = 90;
/**
 * Questions a context bucket needs in each of the two weeks before its automation is compared: at 20, one more
 * hand-off moves the rate by at most 5 points, so a fall is rarely one conversation's doing.
 */
const MIN_CONTEXT_QUESTIONS = 20;

export interface ReportedWorkspace {
  id: string;
  name: string;
  timeZone: string;
}

export interface ReportSources {
  supportMetrics: SupportMetricsService;
  learning: LearningCurveService;
  content: StaleContentService;
  trends: TopicSpikesService;
  gaps: KnowledgeGapsService;
}

export class WeeklyReportBuilder {
  constructor(private readonly sources: ReportSources) {}

  async build(workspace: ReportedWorkspace, isoWeek: string, now = new Date()): Promise<WeeklyReportContent> {
    const { id, timeZone } = workspace;
    const period = reportPeriod(isoWeek, timeZone);
    const previous = reportPeriod(previousIsoWeek(isoWeek), timeZone);
    const curveStart = reportPeriod(previousIsoWeek(isoWeek, LEARNING_WEEKS - 1), timeZone);
    const { supportMetrics, learning, content, trends, gaps } = this.sources;

    const [thisWeek, lastWeek, curve, spikes, knowledgeGaps, friction, stale, uncited, contextNow, contextBefore] = await Promise.all([
      // The week's response times only: the report shows no day's.
      supportMetrics.rangeMetrics(id, { from: period.start, to: period.end, granularity: 'day', timeZone }),
      supportMetrics.rangeMetrics(id, { from: previous.start, to: previous.end, granularity: 'day', timeZone }),
      learning.curve(id, { from: curveStart.start, to: period.end, granularity: 'week', timeZone }),
      trends.spikes(id, { from: period.start, to: period.end, ...SPIKE_DEFAULTS }),
      gaps.gaps(id, { from: period.start, to: period.end, first: LIST_LENGTH }),
      learning.friction(id, period.start, period.end, LIST_LENGTH),
      // As the week ended: a report of an earlier week neither lists items flagged since nor counts later answers.
      content.staleStillServed(id, LIST_LENGTH, period.end),
      content.uncited(id, UNCITED_DAYS, period.end, LIST_LENGTH),
      learning.automationByContext(id, period.start, period.end),
      learning.automationByContext(id, previous.start, previous.end),
    ]);

    const weeks = learningWeeks(curve);
    const reportedWeek = weeks.at(-1)!;
    const weekBefore = weeks.at(-2)!;
    const withoutFindings = {
      workspaceId: id,
      workspaceName: workspace.name,
      isoWeek,
      periodStart: period.start.toISOString(),
      periodEnd: period.end.toISOString(),
      timeZone,
      generatedAt: now.toISOString(),
      headline: headline(thisWeek.totals, lastWeek.totals, reportedWeek.correctionsAbsorbed, weekBefore.correctionsAbsorbed),
      learningCurve: weeks,
      dailyVolume: dailyVolume(thisWeek.buckets),
      risingTopics: spikes.spikes.slice(0, LIST_LENGTH).map(({ topic, volume, baseline, pValue, productChanges }) => ({ topic, volume, baseline, pValue, productChanges })),
      knowledgeGaps: knowledgeGaps.map(({ label, volume, previousVolume, examples }) => ({ label, volume, previousVolume, examples })),
      frictionPoints: friction,
      automationByContext: contextChanges(contextNow, contextBefore),
      csatByTopic: thisWeek.csatByTopic.slice(0, CSAT_TOPICS),
      staleStillServed: stale.map((s) => ({ knowledgeItemId: s.knowledgeItemId, title: s.title, topic: s.topic, timesServed: s.timesServed })),
      uncited: uncited.items.map((u) => ({ knowledgeItemId: u.knowledgeItemId, title: u.title, topic: u.topic, timesServed: 0 })),
      uncitedSummary: { days: UNCITED_DAYS, uncited: uncited.uncitedCount, published: uncited.publishedCount },
    };
    return { ...withoutFindings, findings: deriveFindings(withoutFindings) };
  }
}

function headline(current: Bucket, previous: Bucket, corrections: number, previousCorrections: number): WeeklyHeadline {
  const figure = (pick: (b: Bucket) => number | null): HeadlineFigure => ({ current: pick(current), previous: pick(previous) });
  return {
    questions: figure((b) => b.questions),
    automationRate: figure((b) => b.automationRate),
    handOffRate: figure((b) => b.handOffRate),
    resolutionRate: figure((b) => b.resolutionRate),
    satisfaction: figure((b) => b.satisfaction),
    csat: figure((b) => b.csatSatisfied),
    medianFirstResponseSeconds: figure((b) => b.medianFirstResponseSeconds),
    medianResolutionSeconds: figure((b) => b.medianResolutionSeconds),
    correctionsAbsorbed: { current: corrections, previous: previousCorrections },
  };
}

/** Buckets with MIN_CONTEXT_QUESTIONS questions and a decision both weeks, largest fall first (ties by kind and name). */
function contextChanges(current: ContextAutomation[], previous: ContextAutomation[]): ContextAutomationChange[] {
  const before = new Map(previous.map((bucket) => [`${bucket.kind}:${bucket.bucket}`, bucket]));
  const changes: ContextAutomationChange[] = [];
  for (const now of current) {
    const then = before.get(`${now.kind}:${now.bucket}`);
    if (!then || now.automationRate === null || then.automationRate === null) continue;
    if (now.questions < MIN_CONTEXT_QUESTIONS || then.questions < MIN_CONTEXT_QUESTIONS) continue;
    changes.push({
      kind: now.kind,
      bucket: now.bucket,
      current: { questions: now.questions, automationRate: now.automationRate },
      previous: { questions: then.questions, automationRate: then.automationRate },
    });
  }
  const change = (c: ContextAutomationChange) => c.current.automationRate - c.previous.automationRate;
  return changes
    .sort((a, b) => change(a) - change(b) || a.kind.localeCompare(b.kind) || a.bucket.localeCompare(b.bucket))
    .slice(0, LIST_LENGTH);
}

/** The curve's weeks as the report shows them: the curve has every week of its range already, quiet ones at zero. */
function learningWeeks(curve: Awaited<ReturnType<LearningCurveService['curve']>>): LearningWeek[] {
  return curve.map(({ start, automationRate, correctionsAbsorbed, learnedAnswersPublished, topicsOpened }) => ({ weekStart: start, automationRate, correctionsAbsorbed, learnedAnswersPublished, topicsOpened }));
}

/** The week's days as the report shows them: support's buckets are every day of the range already. */
function dailyVolume(buckets: BucketCounts[]): DailyVolume[] {
  return buckets.map(({ start, answered, handedOff }) => ({ day: start, answered, handedOff }));
}
