/**
 * What a weekly intelligence report says, as plain data: computed once from the warehouse
 * (weekly-report-builder), then rendered to Markdown and HTML (weekly-report-rendering) and stored.
 * Rates are fractions in [0, 1] or null when there was nothing to divide by; durations are seconds.
 */
import type { FrictionPoint } from '../learning/learning-curve.service';

/** One headline figure, this week against the week before. */
export interface HeadlineFigure {
  current: number | null;
  previous: number | null;
}

export interface WeeklyHeadline {
  questions: HeadlineFigure;
  /** answered / (answered + handed off) */
  automationRate: HeadlineFigure;
  /** (handed off + customer escalations) / questions */
  handOffRate: HeadlineFigure;
  /** resolutions / conversations started in the week (Bucket.resolutionRate) */
  resolutionRate: HeadlineFigure;
  /** up-ratings / all ratings */
  satisfaction: HeadlineFigure;
  /** CSAT responses scoring 4 or 5 / all CSAT responses. Absent from reports made before CSAT existed. */
  csat?: HeadlineFigure;
  /** Median seconds from hand-off to the first human response. */
  medianFirstResponseSeconds: HeadlineFigure;
  /** Median seconds from a conversation's first question to its resolution. */
  medianResolutionSeconds: HeadlineFigure;
  correctionsAbsorbed: HeadlineFigure;
}

/** One ISO week of the learning curve (oldest first in the report). */
export interface LearningWeek {
  /** Monday of the week, YYYY-MM-DD, in the workspace time zone. */
  weekStart: string;
  automationRate: number | null;
  correctionsAbsorbed: number;
  learnedAnswersPublished: number;
  topicsOpened: number;
}

/** One day of the reported week. */
export interface DailyVolume {
  /** YYYY-MM-DD in the workspace time zone. */
  day: string;
  answered: number;
  handedOff: number;
}

export interface LinkedProductChange {
  id: string;
  title: string;
  /** ISO-8601 */
  recordedAt: string;
}

export interface RisingTopic {
  topic: string;
  /** Questions this week. */
  volume: number;
  /** Mean weekly questions over the trailing baseline weeks. */
  baseline: number;
  /** Upper-tail Poisson probability of seeing `volume` or more if the baseline rate still held. */
  pValue: number;
  productChanges: LinkedProductChange[];
}

export interface KnowledgeGapSummary {
  /** A few characteristic words of the cluster. */
  label: string;
  /** Handed-off or escalated questions in the cluster this week. */
  volume: number;
  /** The same, the week before. */
  previousVolume: number;
  /** Up to three representative questions, as customers wrote them. */
  examples: string[];
}

/** A friction point as the report keeps it: drop-offs and the page area are absent from reports made before they were recorded. */
export type FrictionSummary = Omit<FrictionPoint, 'dropOffs' | 'pageArea'> & Partial<Pick<FrictionPoint, 'dropOffs' | 'pageArea'>>;

/** Automation in one context bucket (a plan, or a page's first product area), this week against the week before. */
export interface ContextAutomationChange {
  kind: 'plan' | 'pageArea';
  /** The plan, or the page area. */
  bucket: string;
  /** Questions asked in the bucket and answered / (answered + handed off) there, as `learningCurve` with it as the context. */
  current: { questions: number; automationRate: number };
  previous: { questions: number; automationRate: number };
}

/** CSAT of one topic over the week. */
export interface TopicCsatSummary {
  topic: string;
  responses: number;
  /** Mean score, 1–5. */
  average: number;
  /** Share of responses scoring 4 or 5. */
  satisfied: number;
  /** Responses per score, 1 to 5. */
  scores: number[];
}

export interface StaleItemSummary {
  knowledgeItemId: string;
  title: string;
  topic: string;
  /** Answers citing it since it was flagged (still served), or 0 for uncited items. */
  timesServed: number;
}

export interface UncitedSummary {
  /** The window, in days up to the end of the week. */
  days: number;
  /** Items no answer cited in the window, all of them. */
  uncited: number;
  /** Items live at the end of the week (published, not archived or reverted). */
  published: number;
}

export interface WeeklyReportContent {
  workspaceId: string;
  workspaceName: string;
  /** "2026-W48" */
  isoWeek: string;
  /** The week's bounds in the workspace time zone, as instants (ISO-8601). */
  periodStart: string;
  periodEnd: string;
  timeZone: string;
  /** ISO-8601 */
  generatedAt: string;
  headline: WeeklyHeadline;
  learningCurve: LearningWeek[];
  dailyVolume: DailyVolume[];
  risingTopics: RisingTopic[];
  knowledgeGaps: KnowledgeGapSummary[];
  frictionPoints: FrictionSummary[];
  /**
   * Context buckets with enough questions both weeks to compare (weekly-report-builder's MIN_CONTEXT_QUESTIONS),
   * largest fall in automation first (a few of them). Absent from reports made before it existed.
   */
  automationByContext?: ContextAutomationChange[];
  /** Topics with CSAT responses this week, most responses first. Absent from reports made before CSAT existed. */
  csatByTopic?: TopicCsatSummary[];
  staleStillServed: StaleItemSummary[];
  /** The oldest items no answer cited in the `uncitedSummary.days` to the end of the week (a few of them). */
  uncited: StaleItemSummary[];
  /** Absent from reports made before it existed. */
  uncitedSummary?: UncitedSummary;
  /** Three to five plain-language sentences derived from the figures above. */
  findings: string[];
}
