/**
 * Renders a weekly report to Markdown and to one self-contained HTML page (inline CSS, charts inlined
 * as SVG, no scripts, nothing fetched). Both are written from the same list of sections, so they say
 * the same things in the same order; only the two writers at the bottom turn text into markup, and
 * every piece of supplied text passes through their escaping.
 */
import type { HeadlineFigure, WeeklyReportContent } from './weekly-report-content';
import { dailyVolumeChart, learningCurveChart, risingTopicsChart } from './report-charts';
import {
  escapeHtml, formatCount, formatQuantity, formatDay, formatDecimal, formatDuration, formatDurationChange, formatInstant,
  formatInstantDay, formatPercent, formatPeriod, formatPointChange, formatPValue, formatRelativeChange,
  formatWeekday, markdownText,
} from './report-format';

export function renderMarkdown(content: WeeklyReportContent): string {
  return writeMarkdown(reportTitle(content), reportSections(content, 'markdown'));
}

export function renderHtml(content: WeeklyReportContent): string {
  return writeHtml(reportTitle(content), reportSections(content, 'html'));
}

// ---- What the report says --------------------------------------------------------------------

type Target = 'markdown' | 'html';
interface Run { text: string; style?: 'strong' | 'quote' }
type Line = Run[];
interface ListItem { line: Line; details?: Line[] }
interface Column { label: string; numeric?: boolean }
type Block =
  | { kind: 'paragraph'; line: Line }
  | { kind: 'subheading'; text: string }
  | { kind: 'list'; items: ListItem[] }
  | { kind: 'table'; columns: Column[]; rows: string[][] }
  /** Already-rendered SVG; ECharts escapes the text it draws. */
  | { kind: 'chart'; svg: string };
interface Section { id: string; heading: string; blocks: Block[] }
interface Title { heading: string; period: string; generated: string }

const plain = (text: string): Run => ({ text });
const strong = (text: string): Run => ({ text, style: 'strong' });
const quote = (text: string): Run => ({ text, style: 'quote' });
const sentence = (text: string): Block => ({ kind: 'paragraph', line: [plain(text)] });
const chartBlock = (svg: string | null): Block[] => (svg === null ? [] : [{ kind: 'chart', svg }]);

function reportTitle(content: WeeklyReportContent): Title {
  return {
    heading: `${content.workspaceName}: weekly report ${content.isoWeek}`,
    period: `${formatPeriod(content.periodStart, content.periodEnd, content.timeZone)} (${content.timeZone})`,
    generated: `Generated ${formatInstant(content.generatedAt, content.timeZone)}`,
  };
}

function reportSections(content: WeeklyReportContent, target: Target): Section[] {
  return [
    findingsSection(content),
    headlineSection(content),
    learningCurveSection(content, target),
    dailyVolumeSection(content, target),
    risingTopicsSection(content, target),
    knowledgeGapsSection(content),
    frictionSection(content),
    satisfactionSection(content),
    staleContentSection(content),
  ];
}

function findingsSection({ findings }: WeeklyReportContent): Section {
  const blocks: Block[] = findings.length === 0
    ? [sentence('No findings were drawn this week.')]
    : [{ kind: 'list', items: findings.map((finding) => ({ line: [plain(finding)] })) }];
  return { id: 'findings', heading: 'Findings', blocks };
}

type FigureKind = 'count' | 'rate' | 'duration';
const FIGURE_FORMATS: Record<FigureKind, { value: (v: number | null) => string; change: (c: number | null, p: number | null) => string }> = {
  count: { value: formatCount, change: formatRelativeChange },
  rate: { value: formatPercent, change: formatPointChange },
  duration: { value: formatDuration, change: formatDurationChange },
};

function headlineSection({ headline }: WeeklyReportContent): Section {
  const figures: Array<[string, HeadlineFigure, FigureKind]> = [
    ['Questions', headline.questions, 'count'],
    ['Automation rate', headline.automationRate, 'rate'],
    ['Hand-off rate', headline.handOffRate, 'rate'],
    ['Resolution rate', headline.resolutionRate, 'rate'],
    ['Satisfaction', headline.satisfaction, 'rate'],
    ...(headline.csat ? [['CSAT (scored 4–5 of 5)', headline.csat, 'rate'] as [string, HeadlineFigure, FigureKind]] : []),
    ['Median first response after hand-off', headline.medianFirstResponseSeconds, 'duration'],
    ['Median time to resolution', headline.medianResolutionSeconds, 'duration'],
    ['Corrections absorbed', headline.correctionsAbsorbed, 'count'],
  ];
  const rows = figures.map(([label, figure, kind]) => {
    const format = FIGURE_FORMATS[kind];
    return [label, format.value(figure.current), format.value(figure.previous), format.change(figure.current, figure.previous)];
  });
  return {
    id: 'headline',
    heading: 'Headline',
    blocks: [{ kind: 'table', columns: [{ label: 'Figure' }, numeric('This week'), numeric('Previous week'), numeric('Change')], rows }],
  };
}

function learningCurveSection({ learningCurve }: WeeklyReportContent, target: Target): Section {
  const section = { id: 'learning-curve', heading: 'Learning curve' };
  if (learningCurve.length === 0) return { ...section, blocks: [sentence('No weeks of learning are recorded yet.')] };
  if (target === 'html') return { ...section, blocks: chartBlock(learningCurveChart(learningCurve)) };
  const columns = [{ label: 'Week of' }, numeric('Automation rate'), numeric('Corrections absorbed'), numeric('Learned answers published'), numeric('Topics opened')];
  const rows = learningCurve.map((week) => [
    formatDay(week.weekStart), formatPercent(week.automationRate), formatCount(week.correctionsAbsorbed),
    formatCount(week.learnedAnswersPublished), formatCount(week.topicsOpened),
  ]);
  return { ...section, blocks: [{ kind: 'table', columns, rows }] };
}

function dailyVolumeSection({ dailyVolume }: WeeklyReportContent, target: Target): Section {
  const section = { id: 'daily-volume', heading: 'Daily volume' };
  if (dailyVolume.length === 0) return { ...section, blocks: [sentence('No questions were asked this week.')] };
  if (target === 'html') return { ...section, blocks: chartBlock(dailyVolumeChart(dailyVolume)) };
  const rows = dailyVolume.map((day) => [formatWeekday(day.day), formatCount(day.answered), formatCount(day.handedOff)]);
  return { ...section, blocks: [{ kind: 'table', columns: [{ label: 'Day' }, numeric('Answered'), numeric('Handed off')], rows }] };
}

function risingTopicsSection({ risingTopics, timeZone }: WeeklyReportContent, target: Target): Section {
  const section = { id: 'rising-topics', heading: 'Rising topics' };
  if (risingTopics.length === 0) return { ...section, blocks: [sentence('No topic rose significantly against its 4-week baseline.')] };
  const items = risingTopics.map((topic): ListItem => ({
    line: [
      strong(topic.topic),
      plain(` — ${formatQuantity(topic.volume, 'conversation')} this week against a weekly baseline of ${formatDecimal(topic.baseline)}`
        + ` (${risingFactor(topic.volume, topic.baseline)}, ${formatPValue(topic.pValue)})`),
    ],
    details: topic.productChanges.map((change) => [
      plain('Product change '), quote(change.title), plain(`, recorded ${formatInstantDay(change.recordedAt, timeZone)}`),
    ]),
  }));
  const chart = target === 'html' ? chartBlock(risingTopicsChart(risingTopics)) : [];
  return { ...section, blocks: [...chart, { kind: 'list', items }] };
}

const risingFactor = (volume: number, baseline: number) => (baseline > 0 ? `${(volume / baseline).toFixed(1)}× baseline` : 'new');

function knowledgeGapsSection({ knowledgeGaps }: WeeklyReportContent): Section {
  const section = { id: 'knowledge-gaps', heading: 'Knowledge gaps' };
  if (knowledgeGaps.length === 0) return { ...section, blocks: [sentence('No knowledge gap stood out this week.')] };
  const items = knowledgeGaps.map((gap): ListItem => ({
    line: [
      strong(gap.label),
      plain(` — ${formatQuantity(gap.volume, 'question')} handed off or escalated this week (${formatCount(gap.previousVolume)} the week before)`),
    ],
    details: gap.examples.map((example) => [quote(example)]),
  }));
  return { ...section, blocks: [{ kind: 'list', items }] };
}

function frictionSection({ frictionPoints }: WeeklyReportContent): Section {
  const section = { id: 'friction-points', heading: 'Friction points' };
  if (frictionPoints.length === 0) return { ...section, blocks: [sentence('No friction point stood out this week.')] };
  const columns = [{ label: 'Topic' }, { label: 'Plan' }, { label: 'Page' }, numeric('Repeat contacts'), numeric('Down-ratings'), numeric('Hand-offs'), numeric('Drop-offs')];
  const rows = frictionPoints.map((point) => [
    point.topic, point.plan, point.page, formatCount(point.repeatContacts), formatCount(point.downRatings), formatCount(point.handOffs), formatCount(point.dropOffs ?? null),
  ]);
  return { ...section, blocks: [{ kind: 'table', columns, rows }] };
}

function satisfactionSection({ csatByTopic }: WeeklyReportContent): Section {
  const section = { id: 'satisfaction', heading: 'Customer satisfaction by topic' };
  if (!csatByTopic || csatByTopic.length === 0) return { ...section, blocks: [sentence('No customer answered the satisfaction survey this week.')] };
  const columns = [{ label: 'Topic' }, numeric('Responses'), numeric('Mean score (1–5)'), numeric('Scored 4–5'), numeric('Scores 1 / 2 / 3 / 4 / 5')];
  const rows = csatByTopic.map((topic) => [
    topic.topic || '(no topic)', formatCount(topic.responses), formatDecimal(topic.average), formatPercent(topic.satisfied), topic.scores.map((n) => formatCount(n)).join(' / '),
  ]);
  return { ...section, blocks: [{ kind: 'table', columns, rows }] };
}

function staleContentSection({ staleStillServed, uncited, uncitedSummary }: WeeklyReportContent): Section {
  const stillServed: Block = staleStillServed.length === 0
    ? sentence('No content flagged as stale was served this week.')
    : {
      kind: 'table',
      columns: [{ label: 'Title' }, { label: 'Topic' }, numeric('Answers citing it since flagged')],
      rows: staleStillServed.map((item) => [item.title, item.topic, formatCount(item.timesServed)]),
    };
  const table: Block = { kind: 'table', columns: [{ label: 'Title' }, { label: 'Topic' }], rows: uncited.map((item) => [item.title, item.topic]) };
  const neverCited: Block[] = uncitedSummary ? uncitedBlocks(uncitedSummary, table) : uncited.length === 0 ? [] : [table];
  return {
    id: 'stale-content',
    heading: 'Stale content',
    blocks: [
      { kind: 'subheading', text: 'Flagged as stale, still served' }, stillServed,
      { kind: 'subheading', text: 'Cited by no answer' }, ...neverCited,
    ],
  };
}

/** Says how many items went uncited out of how many, so an empty list is never read as "all cited" by mistake. */
function uncitedBlocks({ days, uncited, published }: NonNullable<WeeklyReportContent['uncitedSummary']>, table: Block): Block[] {
  const window = `in the ${formatQuantity(days, 'day')} to the end of the week`;
  if (published === 0) return [sentence('No knowledge item was published yet.')];
  if (uncited === 0) {
    return [sentence(published === 1 ? `The one published knowledge item was cited by an answer ${window}.` : `All ${formatCount(published)} published knowledge items were cited by at least one answer ${window}.`)];
  }
  const shown = table.kind === 'table' ? table.rows.length : 0;
  const list = shown < uncited ? ` The oldest ${formatCount(shown)}:` : '';
  return [sentence(`${formatCount(uncited)} of ${formatQuantity(published, 'published knowledge item')} ${uncited === 1 ? 'was' : 'were'} cited by no answer ${window}.${list}`), table];
}

const numeric = (label: string): Column => ({ label, numeric: true });

// ---- Markdown ------------------------------------------------------------------------------

function writeMarkdown(title: Title, sections: Section[]): string {
  const parts = [`# ${markdownText(title.heading)}`, `${markdownText(title.period)}. ${markdownText(title.generated)}.`];
  for (const section of sections) {
    parts.push(`## ${section.heading}`, ...section.blocks.flatMap(markdownBlock));
  }
  return `${parts.join('\n\n')}\n`;
}

function markdownBlock(block: Block): string[] {
  switch (block.kind) {
    case 'paragraph':
      return [markdownLine(block.line)];
    case 'subheading':
      return [`### ${markdownText(block.text)}`];
    case 'list':
      return [block.items.map(markdownListItem).join('\n')];
    case 'table':
      return [markdownTable(block.columns, block.rows)];
    case 'chart':
      return [];
  }
}

function markdownListItem(item: ListItem): string {
  const details = (item.details ?? []).map((line) => `\n  - ${markdownLine(line)}`);
  return `- ${markdownLine(item.line)}${details.join('')}`;
}

function markdownTable(columns: Column[], rows: string[][]): string {
  const row = (cells: string[]) => `| ${cells.map(markdownText).join(' | ')} |`;
  const rule = `|${columns.map((c) => (c.numeric ? '---:' : '---')).join('|')}|`;
  return [row(columns.map((c) => c.label)), rule, ...rows.map(row)].join('\n');
}

const markdownLine = (line: Line) => line.map(markdownRun).join('');

function markdownRun(run: Run): string {
  const text = markdownText(run.text);
  if (run.style === 'strong') return `**${text}**`;
  if (run.style === 'quote') return `“${text}”`;
  return text;
}

// ---- HTML ----------------------------------------------------------------------------------

// A CSP in the page itself: should anything ever slip past the escaping, the browser still runs no
// script and loads nothing (the stored report may be opened straight from disk or a bucket).
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE = `
  :root { color-scheme: light; }
  body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1f2933; background: #fff; }
  h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; padding-bottom: .25rem; border-bottom: 1px solid #d9dee4; }
  h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; }
  .period { margin: 0; color: #52606d; }
  table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-variant-numeric: tabular-nums; }
  th, td { padding: .35rem .6rem; border-bottom: 1px solid #e4e7eb; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
  th { background: #f5f7fa; font-weight: 600; }
  .num { text-align: right; white-space: nowrap; }
  ul { padding-left: 1.25rem; }
  li { margin: .25rem 0; }
  li ul { color: #52606d; }
  figure { margin: .5rem 0 1rem; }
  svg { display: block; max-width: 100%; height: auto; }
`;

function writeHtml(title: Title, sections: Section[]): string {
  const body = sections.map((section) =>
    `<section id="${section.id}">\n<h2>${escapeHtml(section.heading)}</h2>\n${section.blocks.map(htmlBlock).join('\n')}\n</section>`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title.heading)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(title.heading)}</h1>`,
    `<p class="period">${escapeHtml(title.period)} · ${escapeHtml(title.generated)}</p>`,
    '</header>',
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function htmlBlock(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${htmlLine(block.line)}</p>`;
    case 'subheading':
      return `<h3>${escapeHtml(block.text)}</h3>`;
    case 'list':
      return `<ul>\n${block.items.map(htmlListItem).join('\n')}\n</ul>`;
    case 'table':
      return htmlTable(block.columns, block.rows);
    case 'chart':
      return `<figure>\n${block.svg}\n</figure>`;
  }
}

function htmlListItem(item: ListItem): string {
  const details = item.details?.length ? `\n<ul>${item.details.map((line) => `<li>${htmlLine(line)}</li>`).join('')}</ul>` : '';
  return `<li>${htmlLine(item.line)}${details}</li>`;
}

function htmlTable(columns: Column[], rows: string[][]): string {
  const cell = (tag: 'th' | 'td', column: Column, text: string) =>
    `<${tag}${column.numeric ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  const head = `<tr>${columns.map((column) => cell('th', column, column.label)).join('')}</tr>`;
  const body = rows.map((cells) => `<tr>${cells.map((text, i) => cell('td', columns[i], text)).join('')}</tr>`);
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}

const htmlLine = (line: Line) => line.map(htmlRun).join('');

function htmlRun(run: Run): string {
  const text = escapeHtml(run.text);
  if (run.style === 'strong') return `<strong>${text}</strong>`;
  if (run.style === 'quote') return `<q>${text}</q>`;
  return text;
}
