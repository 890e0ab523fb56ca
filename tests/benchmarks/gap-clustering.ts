/**
 * How well knowledge-gap clustering recovers real intents:
 * `npm run bench:gaps [-- --labels 20 --thresholds 0.1,0.15,0.2,0.3 --linkages average,complete --representations words,trigrams --json]`.
 * Takes the dev-split questions (a fixed-seed tenth of each label of train.csv, tests/benchmarks/learning/dev-split.ts)
 * of the first N labels of each labelled data set, clusters them as one week of hand-offs, and scores the clusters
 * against the labels. The threshold is chosen here, so test.csv is never read:
 *   purity          share of questions that belong to their cluster's majority label (1 = no cluster mixes intents)
 *   inverse purity  share of questions found in their label's largest cluster (1 = no intent is split)
 *   F               their harmonic mean.
 * Every (representation, linkage, threshold) is scored on each data set, then the mean F over the data sets is
 * listed best first. --json writes it all to tests/benchmarks/results/gap-clustering-linkage.json.
 *
 * `--speed R` times instead: one week at the service's cap (2,000 questions: the first 2,000 distinct texts of
 * each data set's train.csv, as traffic: nothing is chosen on them), counts drawn from a fixed seed, clustered R
 * times per setting at its default threshold; the median and the slowest run, in ms. --json writes
 * gap-clustering-speed.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  clusterQuestions,
  Linkage,
  LINKAGES,
  Representation,
  REPRESENTATIONS,
} from '../../services/insights/gaps/question-clustering';
import { REPO_ROOT } from '../helpers/repo-root';
import { choiceListOption, intOption, loadAverages, machineAndLoad, prng } from './bench-support';
import { LabelledQuestion as Labelled, readLabelledCsv } from './learning/dataset';
import { DEV_SPLIT, devSplit } from './learning/dev-split';

interface Setting {
  representation: Representation;
  linkage: Linkage;
  threshold: number;
}

function score(data: Labelled[], { representation, linkage, threshold }: Setting) {
  const labelOf = new Map(data.map((d) => [d.text.toLowerCase().trim(), d.label]));
  const started = process.hrtime.bigint();
  const clusters = clusterQuestions(
    data.map((d) => ({ text: d.text, count: 1, previousCount: 0 })),
    { minSimilarity: threshold, linkage, representation, maxExamples: Number.MAX_SAFE_INTEGER },
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let pure = 0;
  let total = 0;
  const clustersOfLabel = new Map<string, Map<number, number>>();
  clusters.forEach((cluster, index) => {
    const counts = new Map<string, number>();
    for (const example of cluster.examples) {
      const label = labelOf.get(example.toLowerCase().trim()) ?? '?';
      counts.set(label, (counts.get(label) ?? 0) + 1);
      const perCluster = clustersOfLabel.get(label) ?? new Map<number, number>();
      perCluster.set(index, (perCluster.get(index) ?? 0) + 1);
      clustersOfLabel.set(label, perCluster);
      total++;
    }
    pure += Math.max(...counts.values());
  });
  const inverse = [...clustersOfLabel.values()].reduce((sum, perCluster) => sum + Math.max(...perCluster.values()), 0);
  const purity = pure / total;
  const inversePurity = inverse / total;
  return { clusters: clusters.length, withFivePlus: clusters.filter((c) => c.volume >= 5).length, purity, inversePurity, f: (2 * purity * inversePurity) / (purity + inversePurity), ms, questions: total };
}

/** The service's cap on distinct questions per clustering (knowledge-gaps.service.ts). */
const SPEED_QUESTIONS = 2_000;

function speed(datasets: string[], settings: Array<Omit<Setting, 'threshold'>>, repeat: number, json: boolean): void {
  const loadAtStart = loadAverages();
  const runs: Record<string, unknown>[] = [];
  console.log(`gap clustering time; node ${process.version}; ${SPEED_QUESTIONS} distinct questions per data set; ${repeat} runs per setting`);
  console.log('dataset    repr.     linkage   clusters  median ms  max ms');
  for (const name of datasets) {
    const file = path.join(REPO_ROOT, '..', 'shared', 'datasets', name, 'train.csv');
    if (!existsSync(file)) throw new Error(`${file} not found (../shared/datasets beside the repo)`);
    const texts = [...new Set(readLabelledCsv(file).map((d) => d.text))].slice(0, SPEED_QUESTIONS);
    const random = prng(7);
    // Most questions asked once or twice a week, a few up to 20 times.
    const questions = texts.map((text) => ({ text, count: 1 + Math.floor(random() * random() * 20), previousCount: Math.floor(random() * 5) }));
    for (const setting of settings) {
      let clusters = 0;
      const times: number[] = [];
      for (let i = 0; i <= repeat; i++) {
        const started = performance.now();
        clusters = clusterQuestions(questions, { ...setting, maxQuestions: SPEED_QUESTIONS }).length;
        // The first run warms the JIT and the stem cache up, as a service that has answered before.
        if (i > 0) times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)]!;
      const max = times.at(-1)!;
      runs.push({ dataset: name, ...setting, questions: questions.length, clusters, medianMs: Math.round(median), maxMs: Math.round(max) });
      console.log(`${name.padEnd(10)} ${setting.representation.padEnd(9)} ${setting.linkage.padEnd(9)} ${String(clusters).padStart(8)}  ${median.toFixed(0).padStart(9)}  ${max.toFixed(0).padStart(6)}`);
    }
  }
  if (json) {
    const out = path.join(REPO_ROOT, 'tests', 'benchmarks', 'results');
    mkdirSync(out, { recursive: true });
    const summary = { setup: { node: process.version, ...machineAndLoad(loadAtStart), questions: SPEED_QUESTIONS, repeat, split: 'train.csv texts as traffic (no constant chosen)' }, runs };
    writeFileSync(path.join(out, 'gap-clustering-speed.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      speed: { type: 'string' },
      labels: { type: 'string', default: '20' },
      thresholds: { type: 'string', default: '0.15,0.2,0.25,0.275,0.3,0.35' },
      linkages: { type: 'string', default: 'centroid' },
      representations: { type: 'string', default: 'words' },
      datasets: { type: 'string', default: 'banking77,bitext' },
      json: { type: 'boolean', default: false },
    },
  });
  const labels = intOption('labels', values.labels, 1);
  const thresholds = values.thresholds.split(',').map(Number);
  const linkages = choiceListOption('linkages', values.linkages, LINKAGES);
  const representations = choiceListOption('representations', values.representations, REPRESENTATIONS);
  const datasets = values.datasets.split(',');
  if (values.speed !== undefined) {
    speed(datasets, representations.flatMap((representation) => linkages.map((linkage) => ({ representation, linkage }))), intOption('speed', values.speed, 1), values.json ?? false);
    return;
  }
  const settings: Setting[] = representations.flatMap((representation) =>
    linkages.flatMap((linkage) => thresholds.map((threshold) => ({ representation, linkage, threshold }))),
  );
  const setup = `node ${process.version}; first ${labels} labels of each data set's dev split (${DEV_SPLIT.fraction * 100}% of train.csv, seed ${DEV_SPLIT.seed})`;
  console.log(`gap clustering vs labelled intents; ${setup}`);
  console.log('dataset    repr.     linkage   threshold  questions  clusters  >=5 q  purity  inv.purity  F      ms');
  const f = settings.map(() => [] as number[]);
  const runs: Record<string, unknown>[] = [];
  for (const name of datasets) {
    const file = path.join(REPO_ROOT, '..', 'shared', 'datasets', name, 'train.csv');
    if (!existsSync(file)) throw new Error(`${file} not found (../shared/datasets beside the repo)`);
    const all = devSplit(readLabelledCsv(file)).dev;
    const chosen = new Set([...new Set(all.map((d) => d.label))].slice(0, labels));
    const data = all.filter((d) => chosen.has(d.label));
    settings.forEach((setting, i) => {
      const r = score(data, setting);
      f[i].push(r.f);
      runs.push({ dataset: name, ...setting, ...r, ms: Math.round(r.ms) });
      console.log(
        `${name.padEnd(10)} ${setting.representation.padEnd(9)} ${setting.linkage.padEnd(9)} ${setting.threshold.toFixed(3).padStart(9)}  ${String(r.questions).padStart(9)}  ${String(r.clusters).padStart(8)}  ${String(r.withFivePlus).padStart(5)}  ${r.purity.toFixed(3)}  ${r.inversePurity.toFixed(3).padStart(10)}  ${r.f.toFixed(3)}  ${r.ms.toFixed(0).padStart(4)}`,
      );
    });
  }
  const means = settings
    .map((setting, i) => ({ ...setting, f: f[i], meanF: f[i].reduce((a, b) => a + b, 0) / f[i].length }))
    .sort((a, b) => b.meanF - a.meanF);
  console.log(`\nmean F over ${datasets.join(', ')}, best first`);
  console.log(`repr.     linkage   threshold  ${datasets.map((d) => d.padStart(9)).join('  ')}  mean F`);
  for (const m of means) {
    console.log(
      `${m.representation.padEnd(9)} ${m.linkage.padEnd(9)} ${m.threshold.toFixed(3).padStart(9)}  ${m.f.map((x) => x.toFixed(3).padStart(9)).join('  ')}  ${m.meanF.toFixed(3)}`,
    );
  }
  if (values.json) {
    const out = path.join(REPO_ROOT, 'tests', 'benchmarks', 'results');
    mkdirSync(out, { recursive: true });
    const round = (x: number) => Math.round(x * 1000) / 1000;
    const summary = {
      setup: { node: process.version, split: 'dev', labels, datasets, devFraction: DEV_SPLIT.fraction, seed: DEV_SPLIT.seed },
      meanF: means.map((m) => ({ ...m, f: Object.fromEntries(datasets.map((d, i) => [d, round(m.f[i])])), meanF: round(m.meanF) })),
      runs: runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? round(v) : v]))),
    };
    writeFileSync(path.join(out, 'gap-clustering-linkage.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }
}

main();
