/**
 * The weekly report's charts as standalone SVG strings, drawn on the server by ECharts (SSR mode, no
 * DOM, no browser). Each function returns null when there is nothing to draw, so the page can say so
 * in words instead of showing empty axes.
 */
import * as echarts from 'echarts';
import type { DailyVolume, LearningWeek, RisingTopic } from './weekly-report-content';
import { escapeHtml, formatDay, formatShortDay, formatWeekday, singleLine } from './report-format';

const WIDTH = 720;
// No quotes in the stack: ECharts writes it into a style="…" attribute as is.
const FONT_FAMILY = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';
const COLORS = {
  automation: '#2451b7',
  corrections: '#9fb4e6',
  answered: '#2e7d57',
  handedOff: '#d9822b',
  thisWeek: '#2451b7',
  baseline: '#b3bcc8',
  text: '#1f2933',
};
// ECharts measures text with a rough estimate on the server; a wide gap keeps legend entries apart in wider fonts.
const LEGEND = { top: 8, itemGap: 32, selectedMode: false } as const;

/** Automation rate (line, left axis in %) and corrections absorbed (bars, right axis) per week. */
export function learningCurveChart(weeks: LearningWeek[]): string | null {
  if (weeks.length === 0) return null;
  const crowded = weeks.length > 12;
  return renderSvg(
    `Learning curve: automation rate and corrections absorbed per week, ${formatDay(weeks[0].weekStart)} to ${formatDay(weeks[weeks.length - 1].weekStart)}`,
    { width: WIDTH, height: 320 },
    {
      legend: { ...LEGEND, data: ['Automation rate', 'Corrections absorbed'] },
      grid: { left: 56, right: 56, top: 56, bottom: crowded ? 64 : 36 },
      xAxis: { type: 'category', data: weeks.map((w) => formatShortDay(w.weekStart)), axisLabel: { interval: 0, rotate: crowded ? 45 : 0 } },
      yAxis: [
        { type: 'value', name: 'Automation', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        { type: 'value', name: 'Corrections', minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        {
          name: 'Corrections absorbed', type: 'bar', yAxisIndex: 1, barMaxWidth: 28, silent: true,
          itemStyle: { color: COLORS.corrections }, data: weeks.map((w) => w.correctionsAbsorbed),
        },
        {
          // A null rate (no questions that week) stays null: ECharts breaks the line there instead of drawing 0%.
          name: 'Automation rate', type: 'line', yAxisIndex: 0, connectNulls: false, showSymbol: true, symbolSize: 7, z: 3, silent: true,
          itemStyle: { color: COLORS.automation }, lineStyle: { width: 2.5, color: COLORS.automation },
          data: weeks.map((w) => (w.automationRate === null ? null : Math.round(w.automationRate * 1000) / 10)),
        },
      ],
    },
  );
}

/** The reported week's questions per day: answered and handed off, stacked. */
export function dailyVolumeChart(days: DailyVolume[]): string | null {
  if (days.length === 0) return null;
  return renderSvg(
    `Daily volume: questions answered and handed off per day, ${formatWeekday(days[0].day)} to ${formatWeekday(days[days.length - 1].day)}`,
    { width: WIDTH, height: 280 },
    {
      legend: { ...LEGEND, data: ['Answered', 'Handed off'] },
      grid: { left: 56, right: 24, top: 48, bottom: 36 },
      xAxis: { type: 'category', data: days.map((d) => formatWeekday(d.day)), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: 'Answered', type: 'bar', stack: 'volume', barMaxWidth: 48, silent: true, itemStyle: { color: COLORS.answered }, data: days.map((d) => d.answered) },
        { name: 'Handed off', type: 'bar', stack: 'volume', barMaxWidth: 48, silent: true, itemStyle: { color: COLORS.handedOff }, data: days.map((d) => d.handedOff) },
      ],
    },
  );
}

/** This week's questions against the weekly baseline, one pair of horizontal bars per rising topic. */
export function risingTopicsChart(topics: RisingTopic[]): string | null {
  if (topics.length === 0) return null;
  return renderSvg(
    'Rising topics: questions this week against the weekly baseline',
    { width: WIDTH, height: 84 + 48 * topics.length },
    {
      legend: { ...LEGEND, data: ['This week', 'Weekly baseline'] },
      grid: { left: 212, right: 48, top: 44, bottom: 28 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        // inverse: the strongest riser (first in the list) reads first, at the top.
        type: 'category', inverse: true, data: topics.map((t) => singleLine(t.topic).trim()),
        axisLabel: { interval: 0, width: 196, overflow: 'truncate' },
      },
      series: [
        {
          name: 'This week', type: 'bar', barMaxWidth: 16, silent: true, label: { show: true, position: 'right' },
          itemStyle: { color: COLORS.thisWeek }, data: topics.map((t) => t.volume),
        },
        {
          name: 'Weekly baseline', type: 'bar', barMaxWidth: 16, silent: true, label: { show: true, position: 'right' },
          itemStyle: { color: COLORS.baseline }, data: topics.map((t) => Math.round(t.baseline * 10) / 10),
        },
      ],
    },
  );
}

function renderSvg(title: string, size: { width: number; height: number }, option: echarts.EChartsOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY, fontSize: 13, color: COLORS.text },
      ...option,
    });
    return withAccessibleTitle(chart.renderToSVGString(), title);
  } finally {
    chart.dispose();
  }
}

/**
 * ECharts' `aria` option labels the chart's DOM container, and in SSR there is none (its source skips it
 * with "TODO: support for SSR"), so the label goes on the <svg> itself: role, aria-label and a <title>.
 */
function withAccessibleTitle(svg: string, title: string): string {
  const openTag = /^<svg\b[^>]*>/.exec(svg);
  if (!openTag) throw new Error('ECharts returned something other than an <svg> document');
  const label = escapeHtml(title);
  const tag = openTag[0];
  return `${tag.slice(0, -1)} role="img" aria-label="${label}"><title>${label}</title>${svg.slice(tag.length)}`;
}
