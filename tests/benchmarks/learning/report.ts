/** The learning benchmark's outputs: JSON (everything), a Markdown table and an SVG chart of the curves. */
import * as echarts from 'echarts';
import type { HarnessResult } from './harness';

export interface BenchmarkRun {
  dataset: string;
  command: string;
  startedAt: string;
  setup: Record<string, string | number>;
  runs: HarnessResult[];
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

export function markdownReport(run: BenchmarkRun): string {
  const learning = run.runs.find((r) => r.mode === 'learning');
  const baseline = run.runs.find((r) => r.mode === 'static');
  const lines = [
    `### ${run.dataset}`,
    '',
    `\`${run.command}\` (${run.startedAt}; ${Object.entries(run.setup).map(([k, v]) => `${k}: ${v}`).join(', ')})`,
    '',
    '| stream seen | questions asked | corrections | top-1 (learning) | automation @95% precision (learning) | hand-off at thresholds (learning) | top-1 (static) | automation @95% precision (static) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const points = (learning ?? baseline)?.checkpoints ?? [];
  for (const [i, point] of points.entries()) {
    const l = learning?.checkpoints[i];
    const s = baseline?.checkpoints[i] ?? baseline?.checkpoints[0];
    lines.push(
      `| ${(point.fraction * 100).toFixed(0)}% | ${l?.questionsSeen ?? 0} | ${l?.correctionsSoFar ?? 0} | ${pct(l?.top1)} | ${pct(l?.automationAtPrecision)} | ${pct(l?.handOffRate)} | ${pct(s?.top1)} | ${pct(s?.automationAtPrecision)} |`,
    );
  }
  if (learning) {
    const t = learning.totals;
    lines.push('', `Stream: ${t.asked} questions; answered right ${t.answeredRight}, answered wrong ${t.answeredWrong}, handed off ${t.handedOff}; ${t.corrections} corrections (${t.learnedAnswersCreated} new learned answers, ${t.variantsAdded} new phrasings).`);
    const ttl = learning.timeToLearn;
    if (ttl) {
      const timing = (d: typeof ttl.reworded) => (d ? `p50 ${d.p50} ms, p99 ${d.p99} ms over ${d.n}` : 'none answered from it');
      lines.push(
        `Time to learn, ${ttl.sampled} corrections sampled, from the correction returning: the corrected question reworded (\`hi, …\` in lower case, no punctuation) answered from it ${timing(ttl.reworded)}, ${ttl.rewordedNotWithinWait} not within ${ttl.waitMs / 1000} s; another test question of the same label answered from it ${timing(ttl.answeredFromIt)}, ${ttl.notWithinWait} not within ${ttl.waitMs / 1000} s.`,
      );
    }
    if (learning.changedLabels.length) {
      lines.push('', '| changed label | announced | asked after the change | confidently stale answers |', '|---|---|---:|---:|');
      for (const c of learning.changedLabels) lines.push(`| ${c.label} | ${c.announced ? 'yes' : 'no (silent)'} | ${c.askedAfter} | ${c.staleAnswers} |`);
    }
    lines.push('', `Duration: learning ${learning.durationSeconds.toFixed(0)} s${baseline ? `, static ${baseline.durationSeconds.toFixed(0)} s` : ''}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** Accuracy and automation over the stream, learning against static, as an SVG string. */
export function curveChart(run: BenchmarkRun): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 760, height: 380 });
  try {
    const series = run.runs.flatMap((r) => [
      { name: `top-1 (${r.mode})`, data: r.checkpoints.map((c) => [c.fraction * 100, +(c.top1 * 100).toFixed(2)]) },
      { name: `automation @95% precision (${r.mode})`, data: r.checkpoints.map((c) => [c.fraction * 100, +(c.automationAtPrecision * 100).toFixed(2)]) },
    ]);
    chart.setOption({
      animation: false,
      title: { text: `${run.dataset}: learning from the stream vs a static knowledge base`, left: 'center', textStyle: { fontSize: 14 } },
      legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 70 },
      xAxis: { type: 'value', name: '% of stream seen', nameLocation: 'middle', nameGap: 25, min: 0, max: 100 },
      yAxis: { type: 'value', name: '%', min: 0, max: 100 },
      series: series.map((s) => ({ ...s, type: 'line', showSymbol: true, lineStyle: { type: s.name.includes('static') ? 'dashed' : 'solid' } })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
