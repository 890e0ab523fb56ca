/**
 * Every sentence of a weekly report is true: built by the real builder over real chDB from a week whose events
 * are listed below, each finding's figures are read back out of its words and compared with what the insights
 * query it came from returns for the same week. The week is one that used to produce false statements: a learned
 * answer reverted (and so archived) counted as served, recently published items left out of "uncited" (so the
 * report said every item was cited), and "1 questions". A second workspace's weeks have questions by plan and page,
 * for the finding naming the context where automation fell most.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InteractionEvent, insertEvents } from '../../analytics/event-writer';
import { migrateWarehouse } from '../../analytics/migrate';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { StaleContentService } from '../../services/insights/content/stale-content.service';
import { KnowledgeGapsService } from '../../services/insights/gaps/knowledge-gaps.service';
import { LearningCurveService } from '../../services/insights/learning/learning-curve.service';
import { SupportMetricsService } from '../../services/insights/metrics/support-metrics.service';
import { WeeklyReportBuilder } from '../../services/insights/report/weekly-report-builder';
import { QUIET_WEEK } from '../../services/insights/report/weekly-report-findings';
import type { WeeklyReportContent } from '../../services/insights/report/weekly-report-content';
import { renderMarkdown } from '../../services/insights/report/weekly-report-rendering';
import { TopicSpikesService } from '../../services/insights/trends/topic-spikes.service';
import { parseConfig, warehouseEnv } from '../../services/shared/config';

const dataPath = mkdtempSync(path.join(tmpdir(), 'loopdesk-report-truth-'));
const workspaceId = randomUUID();
const ISO_WEEK = '2026-W10';
const week = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-09T00:00:00Z') };
let warehouse: Warehouse;
let services: {
  supportMetrics: SupportMetricsService;
  learning: LearningCurveService;
  content: StaleContentService;
  trends: TopicSpikesService;
  gaps: KnowledgeGapsService;
};
let report: WeeklyReportContent;
let markdown: string;
const contextWorkspace = randomUUID();
let contextReport: WeeklyReportContent;

const event = (eventType: string, occurredAt: string, fields: Partial<InteractionEvent> = {}): InteractionEvent => ({
  eventId: randomUUID(),
  workspaceId,
  eventType,
  occurredAt: new Date(occurredAt),
  ...fields,
});

const articles = Array.from({ length: 5 }, () => randomUUID());
const [keptAnswer, revertedAnswer] = [randomUUID(), randomUUID()];
const [A, B] = [randomUUID(), randomUUID()];

const fixture: InteractionEvent[] = [
  // Five articles: three imported in January, two during the week. An answer cites one of them in the week.
  ...articles.map((id, i) => event('knowledge_published', i < 3 ? '2026-01-12T09:00:00Z' : '2026-03-03T09:00:00Z', { knowledgeItemId: id, topic: 'cards', payload: { title: `Article ${i}` } })),
  // The week: one question (answered, citing article 0) the week before, one question this week, handed off.
  event('question_asked', '2026-02-25T10:00:00Z', { conversationId: B, topic: 'cards', text: 'How do I order a card?' }),
  event('answer_shown', '2026-02-25T10:00:01Z', { conversationId: B, topic: 'cards', knowledgeItemId: articles[0] }),
  event('question_asked', '2026-03-04T10:00:00Z', { conversationId: A, topic: 'cards', text: 'My card has not arrived' }),
  event('handed_off', '2026-03-04T10:00:01Z', { conversationId: A, topic: 'cards', text: 'My card has not arrived', handoffReason: 'no_knowledge' }),
  event('answer_shown', '2026-03-05T10:00:01Z', { conversationId: randomUUID(), topic: 'cards', knowledgeItemId: articles[1] }),
  // Two agent corrections, each teaching a learned answer; an admin reverts the second (its item is archived).
  event('answer_corrected', '2026-03-04T10:20:00Z', { conversationId: A, topic: 'cards' }),
  event('learned_answer_created', '2026-03-04T10:20:01Z', { knowledgeItemId: keptAnswer, topic: 'cards', payload: { status: 'published', title: 'Cards arrive in 5 days' } }),
  event('answer_corrected', '2026-03-05T11:00:00Z', { conversationId: randomUUID(), topic: 'cards' }),
  event('learned_answer_created', '2026-03-05T11:00:01Z', { knowledgeItemId: revertedAnswer, topic: 'cards', payload: { status: 'published' } }),
  event('learning_reverted', '2026-03-06T09:00:00Z', { knowledgeItemId: revertedAnswer, topic: 'cards', payload: { kind: 'learned_answer_created' } }),
];

/**
 * Questions by plan and page, the week before and the reported week: [plan, page, answered, handed off]. Each has a
 * topic of its own, so no topic rises or holds friction, and hand-offs carry no text, so there is no knowledge gap:
 * the findings are about automation. The pro plan falls from 90% to 50% (20 questions both weeks), the billing area
 * (pro's invoices and some of free's questions) from 76.7% to 50%, enterprise from 100% to none, on 3 questions,
 * below the minimum.
 */
const CONTEXT_WEEKS: Array<{ monday: string; groups: Array<[string, string, number, number]> }> = [
  { monday: '2026-02-23', groups: [['pro', '/billing/invoices/7', 18, 2], ['free', '/settings/team', 10, 10], ['free', '/billing', 5, 5], ['enterprise', '/reports', 3, 0]] },
  { monday: '2026-03-02', groups: [['pro', '/billing/invoices/7', 10, 10], ['free', '/settings/team', 12, 8], ['free', '/billing', 5, 5], ['enterprise', '/reports', 0, 3]] },
];
const contextFixture: InteractionEvent[] = CONTEXT_WEEKS.flatMap(({ monday, groups }, week) =>
  groups.flatMap(([plan, page, answered, handedOff], group) =>
    Array.from({ length: answered + handedOff }, (_, i) => {
      const at = Date.parse(`${monday}T08:00:00Z`) + (group * 40 + i) * 3_600_000;
      const fields = { workspaceId: contextWorkspace, conversationId: randomUUID(), topic: `topic ${week}-${group}-${i}`, plan, page };
      return [
        { ...fields, eventId: randomUUID(), eventType: 'question_asked', occurredAt: new Date(at) },
        { ...fields, eventId: randomUUID(), eventType: i < answered ? 'answer_shown' : 'handed_off', occurredAt: new Date(at + 1_000) },
      ];
    }).flat(),
  ),
);

beforeAll(async () => {
  warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: dataPath }));
  await migrateWarehouse(warehouse);
  await insertEvents(warehouse, [...fixture, ...contextFixture]);
  services = {
    supportMetrics: new SupportMetricsService(warehouse),
    learning: new LearningCurveService(warehouse),
    content: new StaleContentService(warehouse),
    trends: new TopicSpikesService(warehouse),
    gaps: new KnowledgeGapsService(warehouse),
  };
  report = await new WeeklyReportBuilder(services).build({ id: workspaceId, name: 'Acme', timeZone: 'UTC' }, ISO_WEEK, new Date('2026-03-09T06:00:00Z'));
  markdown = renderMarkdown(report);
  contextReport = await new WeeklyReportBuilder(services).build({ id: contextWorkspace, name: 'Contexts', timeZone: 'UTC' }, ISO_WEEK, new Date('2026-03-09T06:00:00Z'));
});

afterAll(async () => {
  await warehouse?.close();
  rmSync(dataPath, { recursive: true, force: true });
});

const defaultWorkspace = workspaceId;
const weekBefore = { from: new Date(week.from.getTime() - 7 * 86_400_000), to: week.from };

/** Reads the figures a finding states and says which query figure each must equal. */
async function claimsOf(finding: string, workspaceId = defaultWorkspace): Promise<Array<{ stated: number; queried: number; what: string }>> {
  const totals = (await services.supportMetrics.metrics(workspaceId, { ...week, granularity: 'week', timeZone: 'UTC' })).totals;
  const curve = await services.learning.curve(workspaceId, { ...week, granularity: 'week', timeZone: 'UTC' });
  const gaps = await services.gaps.gaps(workspaceId, { ...week, first: 5 });
  const num = (text: string) => Number(text.replace(/,/g, ''));
  let match: RegExpMatchArray | null;
  if ((match = finding.match(/^Agents' ([\d,]+) corrections? taught the AI ([\d,]+) new answers? it now serves on its own\.$/))) {
    return [
      { what: 'corrections', stated: num(match[1]!), queried: curve[0]!.correctionsAbsorbed },
      { what: 'learned answers served', stated: num(match[2]!), queried: curve[0]!.learnedAnswersPublished },
    ];
  }
  if ((match = finding.match(/^The AI answered ([\d.]+)% of questions on its own, (up|down) ([\d.]+) points from the week before\.$/))) {
    const before = (await services.supportMetrics.metrics(workspaceId, { ...weekBefore, granularity: 'week', timeZone: 'UTC' })).totals;
    const change = ((totals.automationRate ?? NaN) - (before.automationRate ?? NaN)) * 100;
    return [
      { what: 'automation', stated: Number(match[1]), queried: Number(((totals.automationRate ?? NaN) * 100).toFixed(1)) },
      { what: 'automation change', stated: (match[2] === 'up' ? 1 : -1) * Number(match[3]), queried: Number(change.toFixed(1)) },
    ];
  }
  if ((match = finding.match(/^Automation fell most (?:for askers on the (.+) plan|for questions asked from the (.+) area): the AI answered ([\d.]+)% of ([\d,]+) questions? on its own, down from ([\d.]+)% of ([\d,]+) questions? the week before\.$/))) {
    // learningCurve with the named bucket as its context, one weekly bucket for each week.
    const context = match[1] !== undefined ? { plan: match[1] } : { pageArea: match[2]! };
    const [now] = await services.learning.curve(workspaceId, { ...week, granularity: 'week', timeZone: 'UTC', context });
    const [then] = await services.learning.curve(workspaceId, { ...weekBefore, granularity: 'week', timeZone: 'UTC', context });
    const percent = (rate: number | null | undefined) => Number(((rate ?? NaN) * 100).toFixed(1));
    return [
      { what: 'context automation', stated: Number(match[3]), queried: percent(now?.automationRate) },
      { what: 'context questions', stated: num(match[4]!), queried: now?.questions ?? NaN },
      { what: 'context automation the week before', stated: Number(match[5]), queried: percent(then?.automationRate) },
      { what: 'context questions the week before', stated: num(match[6]!), queried: then?.questions ?? NaN },
    ];
  }
  if ((match = finding.match(/^Customers asked ([\d,]+) questions? this week\.$/))) return [{ what: 'questions', stated: num(match[1]!), queried: totals.questions }];
  if ((match = finding.match(/^The AI answered ([\d.]+)% of questions on its own\.$/))) {
    return [{ what: 'automation', stated: Number(match[1]), queried: Number(((totals.automationRate ?? NaN) * 100).toFixed(1)) }];
  }
  if ((match = finding.match(/^([\d,]+) clusters? of questions went to people for lack of knowledge\.$/))) return [{ what: 'gap clusters', stated: num(match[1]!), queried: gaps.length }];
  if (finding === 'The AI made no answering decisions this week.') return [{ what: 'decisions', stated: 0, queried: totals.answered + totals.handedOff }];
  if (finding === 'No question went unanswered for lack of knowledge.') return [{ what: 'gap clusters', stated: 0, queried: gaps.length }];
  if (finding === QUIET_WEEK) return [{ what: 'questions', stated: 0, queried: totals.questions }];
  throw new Error(`No check for the finding "${finding}": add one`);
}

describe('a weekly report', () => {
  it('states only figures its queries return, for every finding', async () => {
    expect(report.findings.length).toBeGreaterThanOrEqual(3);
    for (const finding of report.findings) {
      for (const claim of await claimsOf(finding)) expect({ finding, what: claim.what, figure: claim.stated }).toEqual({ finding, what: claim.what, figure: claim.queried });
    }
  });

  it('does not count a reverted learned answer as one the AI serves', () => {
    expect(report.findings).toContain("Agents' 2 corrections taught the AI 1 new answer it now serves on its own.");
    expect(report.learningCurve.at(-1)).toMatchObject({ weekStart: '2026-03-02', correctionsAbsorbed: 2, learnedAnswersPublished: 1 });
  });

  it('lists as uncited what no answer cited, items published during the window too, and says how many of how many', async () => {
    // Live: five articles and the kept learned answer. Cited in the 90 days: articles 0 (25 February) and 1.
    expect(report.uncitedSummary).toEqual({ days: 90, uncited: 4, published: 6 });
    expect(report.uncited.map((item) => item.knowledgeItemId).sort()).toEqual([articles[2], ...[articles[3], articles[4]], keptAnswer].sort().slice(0, 5).sort());
    expect(markdown).toContain('4 of 6 published knowledge items were cited by no answer in the 90 days to the end of the week.');
    expect(markdown).not.toContain('Every knowledge item was cited');
    const queried = await services.content.uncited(workspaceId, 90, week.to, 5);
    expect({ uncited: queried.uncitedCount, published: queried.publishedCount }).toEqual({ uncited: 4, published: 6 });
  });

  it('says a figure once: no plain restatement of a change it already reported', () => {
    expect(report.findings.filter((finding) => finding.startsWith('The AI answered'))).toHaveLength(1);
  });

  it('writes one question as "1 question"', () => {
    expect(report.findings).toContain('Customers asked 1 question this week.');
    expect(markdown).toContain('1 question handed off or escalated this week');
    expect(markdown).not.toMatch(/\b1 (questions|conversations|corrections|answers|items|clusters)\b/);
  });

  it('names the context where automation fell most, with figures learningCurve returns for that context', async () => {
    expect(contextReport.findings).toContain(
      'Automation fell most for askers on the pro plan: the AI answered 50.0% of 20 questions on its own, down from 90.0% of 20 questions the week before.',
    );
    for (const finding of contextReport.findings) {
      for (const claim of await claimsOf(finding, contextWorkspace)) expect({ finding, what: claim.what, figure: claim.stated }).toEqual({ finding, what: claim.what, figure: claim.queried });
    }
    // Enterprise fell further, on too few questions to say so; billing fell less than pro.
    expect(contextReport.automationByContext?.map(({ kind, bucket }) => `${kind}:${bucket}`)).toEqual(['plan:pro', 'pageArea:billing', 'plan:free', 'pageArea:settings']);
    // The first workspace's weeks have no bucket with enough questions: no such finding.
    expect(report.automationByContext).toEqual([]);
    expect(report.findings.filter((finding) => finding.startsWith('Automation fell most'))).toEqual([]);
  });
});
