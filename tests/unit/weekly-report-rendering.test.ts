import { parse, type DefaultTreeAdapterTypes, type ParserError } from 'parse5';
import { renderHtml, renderMarkdown } from '../../services/insights/report/weekly-report-rendering';
import { formatDuration, markdownText } from '../../services/insights/report/report-format';
import type { WeeklyReportContent } from '../../services/insights/report/weekly-report-content';

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

const SCRIPT_TOPIC = '<script>alert(1)</script>';
const IMG_QUESTION = 'Why does <img src=x onerror=alert(1)> show up on my invoice?';
const PIPE_TOPIC = 'Billing | invoices';
const MULTILINE_QUESTION = 'line one\n# Injected heading\n| a | b |\n`code` and <b>bold</b>';

function weeklyReport(overrides: Partial<WeeklyReportContent> = {}): WeeklyReportContent {
  const weekStarts = ['2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23'];
  const rates = [0.52, 0.58, null, 0.63, 0.68, 0.71, 0.75, 0.8];
  const days = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];
  return {
    workspaceId: 'ws_report_rendering',
    workspaceName: 'Acme Support',
    isoWeek: '2026-W48',
    periodStart: '2026-11-22T23:00:00.000Z',
    periodEnd: '2026-11-29T23:00:00.000Z',
    timeZone: 'Europe/Paris',
    generatedAt: '2026-11-30T05:00:00.000Z',
    headline: {
      questions: { current: 1240, previous: 1100 },
      automationRate: { current: 0.8, previous: 0.75 },
      handOffRate: { current: 0.2, previous: 0.25 },
      resolutionRate: { current: 0.9, previous: null },
      satisfaction: { current: 0.86, previous: 0.84 },
      csat: { current: 0.75, previous: 0.7 },
      medianFirstResponseSeconds: { current: 252, previous: 330 },
      medianResolutionSeconds: { current: 3900, previous: 4500 },
      correctionsAbsorbed: { current: 12, previous: 8 },
    },
    learningCurve: weekStarts.map((weekStart, i) => ({
      weekStart, automationRate: rates[i], correctionsAbsorbed: 3 + i, learnedAnswersPublished: 2 + i, topicsOpened: i % 3,
    })),
    dailyVolume: days.map((day, i) => ({ day, answered: 120 + 10 * i, handedOff: 30 - i })),
    risingTopics: [
      {
        topic: 'CSV export', volume: 42, baseline: 11.5, pValue: 0.00002,
        productChanges: [{ id: 'pc_1', title: 'New export dialog', recordedAt: '2026-11-20T16:30:00.000Z' }],
      },
      { topic: SCRIPT_TOPIC, volume: 18, baseline: 6.25, pValue: 0.004, productChanges: [] },
    ],
    knowledgeGaps: [
      { label: 'refund annual plan', volume: 14, previousVolume: 9, examples: ['Can I get a refund on my annual plan?', IMG_QUESTION, MULTILINE_QUESTION] },
    ],
    frictionPoints: [
      { topic: PIPE_TOPIC, plan: 'Pro', page: '/settings/billing', repeatContacts: 7, downRatings: 4, handOffs: 9, dropOffs: 6 },
      { topic: 'SSO setup', plan: 'Enterprise', page: '/settings/sso', repeatContacts: 3, downRatings: 2, handOffs: 5 },
    ],
    csatByTopic: [{ topic: 'billing', responses: 8, average: 3.75, satisfied: 0.75, scores: [1, 0, 1, 3, 3] }],
    staleStillServed: [{ knowledgeItemId: 'ki_1', title: 'Legacy pricing page', topic: 'pricing', timesServed: 17 }],
    uncited: [{ knowledgeItemId: 'ki_2', title: 'Fax support', topic: 'contact', timesServed: 0 }],
    uncitedSummary: { days: 90, uncited: 7, published: 40 },
    findings: [
      'Automation reached 80.0%, 5.0 points above last week.',
      'Questions about CSV export tripled after the new export dialog shipped.',
      'Refund questions on annual plans are the largest knowledge gap.',
    ],
    ...overrides,
  };
}

const EMPTY_SECTIONS: Partial<WeeklyReportContent> = {
  risingTopics: [], knowledgeGaps: [], frictionPoints: [], csatByTopic: [], staleStillServed: [], uncited: [], uncitedSummary: { days: 90, uncited: 0, published: 12 },
};

/** What HTML and Markdown alike say, one sentence a section, for the sections EMPTY_SECTIONS empties. */
const NOTHING_TO_SHOW = [
  'No topic rose significantly against its 4-week baseline.',
  'No knowledge gap stood out this week.',
  'No friction point stood out this week.',
  'No content flagged as stale was served this week.',
  'All 12 published knowledge items were cited by at least one answer in the 90 days to the end of the week.',
];

function parseHtml(html: string) {
  const errors: ParserError[] = [];
  const document = parse(html, { onParseError: (error) => errors.push(error) });
  return { document, errors };
}

function elements(node: Node): Element[] {
  const own = 'tagName' in node ? [node] : [];
  const children = 'childNodes' in node ? node.childNodes.flatMap(elements) : [];
  return [...own, ...children];
}

function textOf(node: Node): string {
  if (node.nodeName === '#text' && 'value' in node) return node.value;
  return 'childNodes' in node ? node.childNodes.map(textOf).join('') : '';
}

const attribute = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;

function chartsIn(html: string): Map<string, Element> {
  const svgs = elements(parseHtml(html).document).filter((e) => e.tagName === 'svg');
  return new Map(svgs.map((svg) => [attribute(svg, 'aria-label') ?? '', svg]));
}

function chartTitled(html: string, prefix: string): Element {
  const found = [...chartsIn(html)].find(([label]) => label.startsWith(prefix));
  if (!found) throw new Error(`no chart titled "${prefix}…"`);
  return found[1];
}

function htmlTableRow(html: string, sectionId: string, firstCell: string): string[] {
  const section = elements(parseHtml(html).document).find((e) => e.tagName === 'section' && attribute(e, 'id') === sectionId)!;
  const rows = elements(section).filter((e) => e.tagName === 'tr').map((tr) => elements(tr).filter((e) => e.tagName === 'td').map(textOf));
  return rows.find((cells) => cells[0] === firstCell) ?? [];
}

const SECTION_HEADINGS = [
  '## Findings', '## Headline', '## Learning curve', '## Daily volume', '## Rising topics', '## Knowledge gaps',
  '## Friction points', '## Customer satisfaction by topic', '## Stale content', '### Flagged as stale, still served', '### Cited by no answer',
];

/** Every line a Markdown reader would take for a heading. */
const headingsOf = (markdown: string) => markdown.split('\n').filter((line) => /^ {0,3}#/.test(line));

/** Cells of a Markdown table row, split on the pipes that are not escaped. */
const markdownCells = (line: string) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());

describe('weekly report rendering', () => {
  describe('HTML', () => {
    it('is one well-formed page: doctype, lang, charset, no parse errors', () => {
      const sut = renderHtml(weeklyReport());

      const { document, errors } = parseHtml(sut);
      expect(errors).toEqual([]);
      expect(sut.startsWith('<!doctype html>')).toBe(true);
      const all = elements(document);
      expect(attribute(all.find((e) => e.tagName === 'html')!, 'lang')).toBe('en');
      expect(all.some((e) => e.tagName === 'meta' && attribute(e, 'charset') === 'utf-8')).toBe(true);
    });

    it('inlines three charts when topics rose and two when none did', () => {
      expect(chartsIn(renderHtml(weeklyReport())).size).toBe(3);
      expect(chartsIn(renderHtml(weeklyReport({ risingTopics: [] }))).size).toBe(2);
    });

    it('runs no script and fetches nothing from outside', () => {
      const sut = renderHtml(weeklyReport());

      const all = elements(parseHtml(sut).document);
      expect(all.filter((e) => ['script', 'link', 'img', 'iframe', 'object', 'embed'].includes(e.tagName))).toEqual([]);
      const references = all.flatMap((e) => e.attrs.filter((a) => a.name === 'src' || a.name === 'href').map((a) => a.value));
      expect(references.filter((value) => /^\s*(https?:)?\/\//i.test(value))).toEqual([]);
      expect(sut).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    });

    it('labels every chart for assistive technology and draws its categories', () => {
      const sut = renderHtml(weeklyReport());

      for (const svg of chartsIn(sut).values()) {
        expect(attribute(svg, 'role')).toBe('img');
        expect(elements(svg).some((e) => e.tagName === 'title')).toBe(true);
      }
      const learning = textOf(chartTitled(sut, 'Learning curve'));
      for (const week of ['5 Oct', '12 Oct', '19 Oct', '26 Oct', '2 Nov', '9 Nov', '16 Nov', '23 Nov']) expect(learning).toContain(week);
      const daily = textOf(chartTitled(sut, 'Daily volume'));
      for (const day of ['Mon 23 Nov', 'Wed 25 Nov', 'Sun 29 Nov']) expect(daily).toContain(day);
      expect(daily).toContain('Handed off');
      const rising = textOf(chartTitled(sut, 'Rising topics'));
      expect(rising).toContain('CSV export');
      expect(rising).toContain(SCRIPT_TOPIC);
    });

    it('shows headline rates as percentages with their change in points, counts relatively and durations humanised', () => {
      const sut = renderHtml(weeklyReport());

      expect(htmlTableRow(sut, 'headline', 'Automation rate')).toEqual(['Automation rate', '80.0%', '75.0%', '+5.0 pp']);
      expect(htmlTableRow(sut, 'headline', 'Hand-off rate')).toEqual(['Hand-off rate', '20.0%', '25.0%', '\u22125.0 pp']);
      expect(htmlTableRow(sut, 'headline', 'Resolution rate')).toEqual(['Resolution rate', '90.0%', '—', '—']);
      expect(htmlTableRow(sut, 'headline', 'Questions')).toEqual(['Questions', '1,240', '1,100', '+12.7%']);
      expect(htmlTableRow(sut, 'headline', 'Median first response after hand-off'))
        .toEqual(['Median first response after hand-off', '4m 12s', '5m 30s', '\u22121m 18s']);
      expect(htmlTableRow(sut, 'headline', 'Median time to resolution')).toEqual(['Median time to resolution', '1h 05m', '1h 15m', '\u221210m 00s']);
    });

    it('escapes customer-supplied text: no element is injected and the text reads as written', () => {
      const sut = renderHtml(weeklyReport({ workspaceName: 'Acme <i>Support</i>' }));

      const { document, errors } = parseHtml(sut);
      expect(errors).toEqual([]);
      const all = elements(document);
      expect(all.filter((e) => ['script', 'img', 'i', 'b'].includes(e.tagName))).toEqual([]);
      const text = textOf(document);
      expect(text).toContain(SCRIPT_TOPIC);
      expect(text).toContain(IMG_QUESTION);
      expect(text).toContain('Acme <i>Support</i>');
    });

    it('puts the sections in report order, titled with workspace, ISO week and the local period', () => {
      const sut = renderHtml(weeklyReport());

      const all = elements(parseHtml(sut).document);
      expect(all.filter((e) => e.tagName === 'section').map((e) => attribute(e, 'id'))).toEqual([
        'findings', 'headline', 'learning-curve', 'daily-volume', 'rising-topics', 'knowledge-gaps', 'friction-points', 'satisfaction', 'stale-content',
      ]);
      expect(textOf(all.find((e) => e.tagName === 'h1')!)).toBe('Acme Support: weekly report 2026-W48');
      expect(sut).toContain('Mon 23 Nov 2026 – Sun 29 Nov 2026 (Europe/Paris)');
    });

    it('says so in one sentence when a section has nothing to show', () => {
      const sut = renderHtml(weeklyReport(EMPTY_SECTIONS));

      for (const sentence of NOTHING_TO_SHOW) expect(sut).toContain(sentence);
    });
  });

  describe('Markdown', () => {
    it('lists every finding and puts the sections in report order', () => {
      const content = weeklyReport();

      const sut = renderMarkdown(content);

      for (const finding of content.findings) expect(sut).toContain(`- ${finding}`);
      expect(headingsOf(sut)).toEqual(['# Acme Support: weekly report 2026-W48', ...SECTION_HEADINGS]);
      expect(sut).toContain('Mon 23 Nov 2026 – Sun 29 Nov 2026 (Europe/Paris)');
    });

    it('shows the headline, learning curve and daily volume as tables', () => {
      const sut = renderMarkdown(weeklyReport());

      expect(sut).toContain('| Automation rate | 80.0% | 75.0% | +5.0 pp |');
      expect(sut).toContain('| Median first response after hand-off | 4m 12s | 5m 30s | \u22121m 18s |');
      expect(sut).toContain('| 19 Oct 2026 | — | 5 | 4 | 2 |');
      expect(sut).toContain('| Mon 23 Nov | 120 | 30 |');
    });

    it('shows CSAT in the headline and by topic (responses, mean, share of 4–5, each score), and drop-offs among friction points', () => {
      const sut = renderMarkdown(weeklyReport());

      expect(sut).toContain('| CSAT (scored 4–5 of 5) | 75.0% | 70.0% | +5.0 pp |');
      expect(sut).toContain('| billing | 8 | 3.8 | 75.0% | 1 / 0 / 1 / 3 / 3 |');
      expect(sut).toContain('| 7 | 4 | 9 | 6 |');
      expect(renderMarkdown(weeklyReport(EMPTY_SECTIONS))).toContain('No customer answered the satisfaction survey this week.');
    });

    it('says how many items no answer cited, out of how many, when it lists only the oldest', () => {
      const sut = renderMarkdown(weeklyReport());

      expect(sut).toContain('7 of 40 published knowledge items were cited by no answer in the 90 days to the end of the week. The oldest 1:');
      expect(sut).toContain('| Fax support | contact |');
    });

    it('writes one of a thing in the singular', () => {
      const sut = renderMarkdown(weeklyReport({
        risingTopics: [{ topic: 'SSO', volume: 1, baseline: 0, pValue: 0.2, productChanges: [] }],
        knowledgeGaps: [{ label: 'fax', volume: 1, previousVolume: 0, examples: [] }],
        uncited: [{ knowledgeItemId: 'ki_2', title: 'Fax support', topic: 'contact', timesServed: 0 }],
        uncitedSummary: { days: 1, uncited: 1, published: 1 },
      }));

      expect(sut).toContain('**SSO** — 1 conversation this week');
      expect(sut).toContain('**fax** — 1 question handed off or escalated this week');
      expect(sut).toContain('1 of 1 published knowledge item was cited by no answer in the 1 day to the end of the week.');
      expect(sut).not.toMatch(/\b1 (questions|conversations|items|days)\b/);
    });

    it('links product changes to the rising topic they may explain', () => {
      const sut = renderMarkdown(weeklyReport());

      expect(sut).toContain('- **CSV export** — 42 conversations this week against a weekly baseline of 11.5 (3.7× baseline, p < 0.001)');
      expect(sut).toContain('  - Product change “New export dialog”, recorded 20 Nov 2026');
    });

    it('keeps a pipe in a topic inside its cell', () => {
      const sut = renderMarkdown(weeklyReport());

      const lines = sut.split('\n');
      const header = lines.find((line) => line.startsWith('| Topic | Plan |'))!;
      const row = lines.find((line) => line.includes('Billing'))!;
      expect(markdownCells(row)).toHaveLength(markdownCells(header).length);
      expect(markdownCells(row)[0]).toBe('Billing \\| invoices');
    });

    it('neutralises markup in supplied text: no raw tags, no headings, no code spans, no broken lines', () => {
      const sut = renderMarkdown(weeklyReport({ workspaceName: '# Acme `ops`' }));

      expect(sut).not.toMatch(/(?<!\\)(<(?!\s)|`)/);
      expect(headingsOf(sut)).toEqual(['# \\# Acme \\`ops\\`: weekly report 2026-W48', ...SECTION_HEADINGS]);
      expect(sut).toContain('  - “line one \\# Injected heading \\| a \\| b \\| \\`code\\` and \\<b\\>bold\\</b\\>”');
      expect(sut).toContain('**\\<script\\>alert(1)\\</script\\>**');
    });

    it('says so in one sentence when a section has nothing to show', () => {
      const sut = renderMarkdown(weeklyReport({ ...EMPTY_SECTIONS, learningCurve: [], dailyVolume: [] }));

      for (const sentence of NOTHING_TO_SHOW) expect(sut).toContain(sentence);
      expect(sut).toContain('No weeks of learning are recorded yet.');
      expect(sut).toContain('No questions were asked this week.');
    });
  });

  describe('formatting', () => {
    it('humanises durations the way a support lead says them', () => {
      expect([42, 252, 3900, 180_000].map(formatDuration)).toEqual(['42s', '4m 12s', '1h 05m', '2d 02h']);
    });

    it('escapes list markers only where they would start a block', () => {
      expect(markdownText('- not a list')).toBe('\\- not a list');
      expect(markdownText('1. not a list')).toBe('1\\. not a list');
      expect(markdownText('up-to-date 1.5')).toBe('up-to-date 1.5');
      expect(markdownText('52.0% at p < 0.001, Q&A')).toBe('52.0% at p < 0.001, Q&A');
      expect(markdownText('&lt;b&gt; and <b>')).toBe('\\&lt;b\\&gt; and \\<b\\>');
    });
  });
});
