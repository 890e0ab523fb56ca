/**
 * How well knowledge-gap clustering recovers real intents: `npm run bench:gaps [-- --labels 20 --thresholds 0.1,0.15,0.2,0.3]`.
 * Takes the dev-split questions (a fixed-seed tenth of each label of train.csv, tests/benchmarks/learning/dev-split.ts)
 * of the first N labels of each labelled data set, clusters them as one week of hand-offs, and scores the clusters
 * against the labels. The threshold is chosen here, so test.csv is never read:
 *   purity          share of questions that belong to their cluster's majority label (1 = no cluster mixes intents)
 *   inverse purity  share of questions found in their label's largest cluster (1 = no intent is split)
 *   F               their harmonic mean.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { clusterQuestions } from '../../services/insights/gaps/question-clustering';
import { REPO_ROOT } from '../helpers/repo-root';
import { LabelledQuestion as Labelled, readLabelledCsv } from './learning/dataset';
import { DEV_SPLIT, devSplit } from './learning/dev-split';

function score(data: Labelled[], threshold: number) {
  const labelOf = new Map(data.map((d) => [d.text.toLowerCase().trim(), d.label]));
  const started = process.hrtime.bigint();
  const clusters = clusterQuestions(
    data.map((d) => ({ text: d.text, count: 1, previousCount: 0 })),
    { minSimilarity: threshold, maxExamples: Number.MAX_SAFE_INTEGER },
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

function main(): void {
  const { values } = parseArgs({ options: { labels: { type: 'string', default: '20' }, thresholds: { type: 'string', default: '0.1,0.15,0.2,0.25,0.3' }, datasets: { type: 'string', default: 'banking77,bitext' } } });
  const labels = Number(values.labels);
  const thresholds = values.thresholds.split(',').map(Number);
  console.log(`gap clustering vs labelled intents; node ${process.version}; first ${labels} labels of each data set's dev split (${DEV_SPLIT.fraction * 100}% of train.csv, seed ${DEV_SPLIT.seed})`);
  console.log('dataset    threshold  questions  clusters  >=5 q  purity  inv.purity  F      ms');
  for (const name of values.datasets.split(',')) {
    const file = path.join(REPO_ROOT, '..', 'shared', 'datasets', name, 'train.csv');
    if (!existsSync(file)) throw new Error(`${file} not found (../shared/datasets beside the repo)`);
    const all = devSplit(readLabelledCsv(file)).dev;
    const chosen = new Set([...new Set(all.map((d) => d.label))].slice(0, labels));
    const data = all.filter((d) => chosen.has(d.label));
    for (const threshold of thresholds) {
      const r = score(data, threshold);
      console.log(
        `${name.padEnd(10)} ${threshold.toFixed(2).padStart(9)}  ${String(r.questions).padStart(9)}  ${String(r.clusters).padStart(8)}  ${String(r.withFivePlus).padStart(5)}  ${r.purity.toFixed(3)}  ${r.inversePurity.toFixed(3).padStart(10)}  ${r.f.toFixed(3)}  ${r.ms.toFixed(0).padStart(4)}`,
      );
    }
  }
}

main();
