/**
 * Three to five plain-language findings, derived only from the report's own figures, most important first.
 * Each rule looks at one part of the report and says something only when there is something to say; the
 * report keeps the first five that apply and, in a quiet week, falls back to plain statements of the numbers.
 * A week with no question at all says so once (QUIET_WEEK), after whatever else applied.
 */
import { formatQuantity } from './report-format';
import type { HeadlineFigure, WeeklyReportContent } from './weekly-report-content';

export type FindingInput = Omit<WeeklyReportContent, 'findings'>;

const MAX_FINDINGS = 5;
const MIN_FINDINGS = 3;
/** A rate change smaller than this (in percentage points) is "steady". */
const STEADY_POINTS = 2;

const pct = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const points = (delta: number) => `${Math.abs(delta * 100).toFixed(1)} points`;
const plural = formatQuantity;

export function deriveFindings(report: FindingInput): string[] {
  const rules = [automation, contextAutomation, volume, risingTopic, knowledgeGap, learning, staleContent, friction, firstResponse];
  const fired = rules.map((rule) => rule(report));
  const findings = fired.filter((finding): finding is string => finding !== null);
  // A week nobody asked anything: one sentence says so, not three ways of saying nothing happened.
  if ((report.headline.questions.current ?? 0) === 0) return [...findings, QUIET_WEEK].slice(0, MAX_FINDINGS);
  // A plain statement of a figure a finding already gave (with its change) would say the same thing twice.
  const said = (rule: (typeof rules)[number]) => fired[rules.indexOf(rule)] !== null;
  const fallbacks = [said(automation) ? null : automationPlain(report), said(volume) ? null : questionsPlain(report), said(knowledgeGap) ? null : gapsPlain(report)];
  for (const fallback of fallbacks) {
    if (findings.length >= MIN_FINDINGS) break;
    if (fallback !== null && !findings.includes(fallback)) findings.push(fallback);
  }
  return findings.slice(0, MAX_FINDINGS);
}

export const QUIET_WEEK = 'No customer asked a question this week, so there is nothing to report on answers, hand-offs or knowledge gaps.';

function automation({ headline }: FindingInput): string | null {
  const { current, previous } = headline.automationRate;
  if (current === null || previous === null) return null;
  const delta = current - previous;
  if (Math.abs(delta * 100) < STEADY_POINTS) return null;
  return `The AI answered ${pct(current)} of questions on its own, ${delta > 0 ? 'up' : 'down'} ${points(delta)} from the week before.`;
}

/**
 * The context bucket (plan or page area) where automation fell most, with both weeks' rates and questions. Only
 * buckets with enough questions both weeks are in the report; a fall smaller than STEADY_POINTS is steady, as in
 * the headline, so a week where no bucket fell by that much says nothing here.
 */
function contextAutomation({ automationByContext }: FindingInput): string | null {
  const top = automationByContext?.[0];
  if (!top) return null;
  const delta = top.current.automationRate - top.previous.automationRate;
  if (delta >= 0 || Math.abs(delta * 100) < STEADY_POINTS) return null;
  const where = top.kind === 'plan' ? `for askers on the ${top.bucket} plan` : `for questions asked from the ${top.bucket} area`;
  return (
    `Automation fell most ${where}: the AI answered ${pct(top.current.automationRate)} of ${plural(top.current.questions, 'question')} on its own, ` +
    `down from ${pct(top.previous.automationRate)} of ${plural(top.previous.questions, 'question')} the week before.`
  );
}

function volume({ headline }: FindingInput): string | null {
  const change = relativeChange(headline.questions);
  if (change === null || Math.abs(change) < 0.2) return null;
  return `Customers asked ${plural(headline.questions.current ?? 0, 'question')}, ${Math.round(Math.abs(change) * 100)}% ${change > 0 ? 'more' : 'fewer'} than the week before.`;
}

function risingTopic({ risingTopics }: FindingInput): string | null {
  const top = risingTopics[0];
  if (!top) return null;
  const cause = top.productChanges[0] ? `, shortly after the product change "${top.productChanges[0].title}"` : '';
  const from = top.baseline === 0 ? 'none in the weeks before' : `about ${top.baseline.toFixed(1)} a week`;
  return `Conversations about "${top.topic}" jumped to ${top.volume.toLocaleString('en-US')} from ${from}${cause}.`;
}

function knowledgeGap({ knowledgeGaps }: FindingInput): string | null {
  const top = knowledgeGaps[0];
  if (!top || top.volume < 2) return null;
  const example = top.examples[0] ? ` such as "${top.examples[0]}"` : '';
  // What the figures show: the AI could not answer these from what it knew then (an article may exist and have
  // missed them, or been taught since), not that an article is missing.
  return `The largest knowledge gap (${top.label}) sent ${plural(top.volume, 'question')} to people${example}: the AI could not answer them from what it knew then.`;
}

function learning({ headline, learningCurve }: FindingInput): string | null {
  const corrections = headline.correctionsAbsorbed.current ?? 0;
  if (corrections === 0) return null;
  const published = learningCurve.at(-1)?.learnedAnswersPublished ?? 0;
  return `Agents' ${plural(corrections, 'correction')} taught the AI ${plural(published, 'new answer')} it now serves on its own.`;
}

function staleContent({ staleStillServed }: FindingInput): string | null {
  if (staleStillServed.length === 0) return null;
  const served = staleStillServed.reduce((sum, item) => sum + item.timesServed, 0);
  return `${plural(staleStillServed.length, 'article')} flagged as out of date after a product change ${staleStillServed.length === 1 ? 'was' : 'were'} still cited in ${plural(served, 'answer')}; updating ${staleStillServed.length === 1 ? 'it' : 'them'} comes first.`;
}

function friction({ frictionPoints }: FindingInput): string | null {
  const top = frictionPoints[0];
  if (!top) return null;
  const total = top.repeatContacts + top.downRatings + top.handOffs;
  if (total < 3) return null;
  const where = [top.plan && `on the ${top.plan} plan`, top.page && `on ${top.page}`].filter(Boolean).join(' ');
  return `"${top.topic}"${where ? ` ${where}` : ''} caused the most friction: ${plural(top.handOffs, 'hand-off')}, ${plural(top.downRatings, 'down-rating')} and ${plural(top.repeatContacts, 'repeat contact')}.`;
}

function firstResponse({ headline }: FindingInput): string | null {
  const { current, previous } = headline.medianFirstResponseSeconds;
  if (current === null || previous === null || previous === 0) return null;
  const change = (current - previous) / previous;
  if (Math.abs(change) < 0.25) return null;
  return `Half of the handed-off customers heard from a person within ${duration(current)}, ${change > 0 ? 'slower' : 'faster'} than the week before (${duration(previous)}).`;
}

function automationPlain({ headline }: FindingInput): string {
  const rate = headline.automationRate.current;
  return rate === null ? 'The AI made no answering decisions this week.' : `The AI answered ${pct(rate)} of questions on its own.`;
}

function questionsPlain({ headline }: FindingInput): string {
  return `Customers asked ${plural(headline.questions.current ?? 0, 'question')} this week.`;
}

function gapsPlain({ knowledgeGaps }: FindingInput): string {
  return knowledgeGaps.length === 0
    ? 'No question went unanswered for lack of knowledge.'
    : `${plural(knowledgeGaps.length, 'cluster')} of questions went to people for lack of knowledge.`;
}

function relativeChange({ current, previous }: HeadlineFigure): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / previous;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} seconds`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} minutes`;
  return `${(seconds / 3600).toFixed(1)} hours`;
}
