/** The learning benchmark's outputs: JSON (everything), a Markdown report and an SVG chart of the curves. */
import * as echarts from 'echarts';
import type { CheckpointResult, HarnessResult, ProbeSummary, WorkspaceRun } from './harness';

export interface BenchmarkRun {
  /** 2: the harness with the dev split, the frozen baseline and the operating-point headline. */
  format: 2;
  dataset: string;
  command: string;
  startedAt: string;
  setup: Record<string, string | number>;
  /** Every constant tuned by looking at results was tuned on the dev split of train.csv, never on test.csv. */
  tuning: 'dev-split';
  result: HarnessResult;
}

export function benchmarkRun(meta: Omit<BenchmarkRun, 'format' | 'tuning'>): BenchmarkRun {
  return { format: 2, tuning: meta.result.split.tuning, ...meta };
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

export function markdownReport(run: BenchmarkRun): string {
  const { result } = run;
  const { learning, frozen, split } = result;
  const lines = [
    `### ${run.dataset}`,
    '',
    `\`${run.command}\` (${run.startedAt}; ${Object.entries(run.setup).map(([k, v]) => `${k}: ${v}`).join(', ')})`,
    '',
    ...(result.partial ? [`**Partial run**: ${result.partial.checkpointsDone} of ${result.partial.checkpointsPlanned} checkpoints measured before it was stopped.`, ''] : []),
    `Split: dev ${split.dev} train questions (${split.devFraction * 100}% of each label, seed ${split.devSeed}; tuning: ${split.tuning}, never streamed), ${split.probes} held out as unseen paraphrases, stream ${result.streamLength}; scored on ${result.evaluatedOn === 'test' ? 'test.csv' : 'the dev split'} (${result.evaluationQuestions} questions).`,
    '',
    '| stream seen | questions asked | corrections | answered at own thresholds (learning) | precision of those answers (learning) | top-1 (learning) | answered at own thresholds (frozen) | precision of those answers (frozen) | top-1 (frozen) | oracle: automation @95% (learning) | oracle: automation @95% (frozen) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [i, l] of learning.checkpoints.entries()) {
    const f: CheckpointResult | undefined = frozen?.checkpoints[i];
    lines.push(
      `| ${(l.fraction * 100).toFixed(0)}% | ${l.questionsSeen} | ${l.correctionsSoFar} | ${pct(l.answeredShare)} | ${pct(l.answeredPrecision)} | ${pct(l.top1)} | ${pct(f?.answeredShare)} | ${pct(f?.answeredPrecision)} | ${pct(f?.top1)} | ${pct(l.oracleAutomationAt95)} | ${pct(f?.oracleAutomationAt95)} |`,
    );
  }
  if (frozen) {
    lines.push(
      '',
      `Frozen baseline ("train once, deploy forever"): a second workspace fed the same stream through the same flow, learning from the first ${frozen.frozenAfter} questions, then with learning frozen (the workspace setting) for the rest of the stream and the product changes.`,
    );
  }
  lines.push('', ...[learning, frozen].filter((w): w is WorkspaceRun => w !== null).map(totalsLine));
  const ttl = result.timeToLearn;
  const probeRow = (name: string, p: ProbeSummary) =>
    `| ${name} | ${p.sampled} | ${pct(p.shareWithin1s)} (${p.within1s}) | ${pct(p.shareWithin3s)} (${p.within3s}) | ${p.misses.handed_off} / ${p.misses.answered_right_from_other_item} / ${p.misses.answered_wrong} / ${p.misses.answered_from_it_after_wait} |`;
  lines.push(
    '',
    `Time to learn, every sampled correction of the learning workspace, from \`correctAnswer\` returning (a probe not answered from the item the correction taught within ${ttl.waitMs / 1000} s counts as a miss):`,
    '',
    '| probe | sampled | answered from it within 1 s | within 3 s | misses: handed off / answered right from another item / answered wrong / from it after 3 s |',
    '|---|---:|---:|---:|---|',
    probeRow('the corrected question reworded (`hi, …`, lower case, no punctuation)', ttl.reworded),
    probeRow('an unseen train question of the same label (held out of the stream)', ttl.unseenParaphrase),
  );
  if (learning.changedLabels.length) {
    lines.push(
      '',
      '| changed label | announced | asked after the change | confidently stale answers (learning) | confidently stale answers (frozen) |',
      '|---|---|---:|---:|---:|',
      ...learning.changedLabels.map((c) => {
        const f = frozen?.changedLabels.find((x) => x.label === c.label);
        return `| ${c.label} | ${c.announced ? 'yes' : 'no (silent)'} | ${c.askedAfter} | ${c.staleAnswers} | ${f ? f.staleAnswers : '—'} |`;
      }),
    );
  }
  lines.push('', `Duration: ${result.durationSeconds.toFixed(0)} s for both workspaces.`);
  return `${lines.join('\n')}\n`;
}

function totalsLine(w: WorkspaceRun): string {
  const t = w.totals;
  const previewErrors = w.checkpoints.reduce((sum, c) => sum + c.previewErrors, 0);
  return `Stream (${w.role}): ${t.asked} questions; answered right ${t.answeredRight}, answered wrong ${t.answeredWrong}, handed off ${t.handedOff}; ${t.corrections} corrections (${t.learnedAnswersCreated} new learned answers, ${t.variantsAdded} new phrasings${t.notLearned ? `, ${t.notLearned} not learned while frozen` : ''}); ${t.failed} questions failed part-way; ${previewErrors} scoring previews failed three times (scored as wrong hand-offs).`;
}

const METRICS = [
  { key: 'answeredShare', name: 'answered at own thresholds', color: '#5470c6' },
  { key: 'answeredPrecision', name: 'precision of those answers', color: '#91cc75' },
  { key: 'top1', name: 'top-1', color: '#ee6666' },
] as const;

/** The headline figures over the stream, learning (solid) against the frozen baseline (dashed), as an SVG string. */
export function curveChart(run: BenchmarkRun): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 760, height: 400 });
  try {
    const workspaces = [run.result.learning, run.result.frozen].filter((w): w is WorkspaceRun => w !== null);
    const series = workspaces.flatMap((w) =>
      METRICS.map((m) => ({
        name: `${m.name} (${w.role})`,
        type: 'line',
        showSymbol: true,
        color: m.color,
        lineStyle: { type: w.role === 'frozen' ? 'dashed' : 'solid' },
        data: w.checkpoints.map((c) => [c.fraction * 100, c[m.key] === null ? null : +((c[m.key] as number) * 100).toFixed(2)]),
      })),
    );
    chart.setOption({
      animation: false,
      title: { text: `${run.dataset}: learning from the stream vs frozen after ${pct(run.result.frozen ? run.result.frozen.frozenAfter! / run.result.streamLength : null)} of it`, left: 'center', textStyle: { fontSize: 14 } },
      legend: { bottom: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 90 },
      xAxis: { type: 'value', name: '% of stream seen', nameLocation: 'middle', nameGap: 25, min: 0, max: 100 },
      yAxis: { type: 'value', name: '%', min: 0, max: 100 },
      series,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
