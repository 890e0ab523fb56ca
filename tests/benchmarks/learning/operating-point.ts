/**
 * `npm run bench:operating-point -- --dataset <folder> [--shots N] [--seed S]`
 *
 * Chooses the intent model's untaught bar (UNTAUGHT_INTENT_THRESHOLD, answer-policy.ts) on the dev split only:
 * the model is seeded with the articles and taught the stream (dev split and probes left out) as the live
 * system is, each label's taught questions going to a learned answer of their own (the first correction of a
 * label creates one; later ones add phrasings to it). At the learning benchmark's checkpoints the dev questions
 * are ranked; the model decides only when its best item is one it was taught questions for (else retrieval
 * does: retrieval.service.ts), and each such decision is right when its item is the label's article or learned
 * answer. For every candidate bar it prints the share of dev questions the model would answer and their
 * precision, at every checkpoint. No stack, no test.csv.
 */
import { parseArgs } from 'node:util';
import { ReplayingModel, articleSentences } from '../../../services/knowledge/intent/replaying-model';
import { intentConfidence } from '../../../services/knowledge/retrieval/ranking';
import { prng } from '../bench-support';
import { loadDataset, shuffled, takePerLabel, takeShots } from './dataset';
import { devSplit } from './dev-split';
import { DEFAULT_CHECKPOINTS } from './checkpoints';

const BARS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
const learnedOf = (label: string) => `${label}#learned`;


function main(): void {
  const { values } = parseArgs({ options: { dataset: { type: 'string' }, shots: { type: 'string' }, seed: { type: 'string', default: '1' } } });
  if (!values.dataset) throw new Error('Usage: npm run bench:operating-point -- --dataset <folder> [--shots N] [--seed S]');
  const dataset = loadDataset(values.dataset);
  const seed = Number(values.seed);
  const { dev, rest } = devSplit(dataset.train);
  const held = takePerLabel(rest, () => 3, seed + 11);
  let stream = shuffled(held.rest, seed);
  if (values.shots) stream = takeShots(stream, Number(values.shots));
  const model = new ReplayingModel(prng(seed));
  for (const article of dataset.articles) for (const text of [article.title, ...articleSentences(article.body)]) model.learn(text, article.externalKey!, false);
  console.log(`${dataset.name}${values.shots ? ` ${values.shots}-shot` : ''}: stream ${stream.length}, dev ${dev.length} (dev split only)`);
  console.log(`checkpoint | model decides | ${BARS.map((b) => `bar ${b}: answered / precision`).join(' | ')}`);
  let taught = 0;
  const worst = new Map<number, number>(BARS.map((b) => [b, 1]));
  for (const fraction of DEFAULT_CHECKPOINTS) {
    const mark = Math.round(fraction * stream.length);
    for (; taught < mark; taught++) model.learn(stream[taught]!.text, learnedOf(stream[taught]!.label));
    const decisions = dev.flatMap((q) => {
      const ranked = model.rank(q.text);
      const first = ranked[0];
      if (!first || model.taught(first.itemId) === 0) return [];
      // The runner-up is the best item with a different answer: a label's article and its learned answer (which
      // carries the article's text here, as the harness's corrections do) are the same answer, not rivals.
      const answerOf = (itemId: string) => itemId.replace(/#learned$/, '');
      const second = ranked.find((p) => answerOf(p.itemId) !== answerOf(first.itemId));
      const correct = answerOf(first.itemId) === q.label;
      return [{ correct, confidence: intentConfidence(first.score, second?.score ?? 0, 0, 0) }];
    });
    const cells = BARS.map((bar) => {
      const answered = decisions.filter((d) => d.confidence >= bar);
      const precision = answered.length ? answered.filter((d) => d.correct).length / answered.length : null;
      // Checkpoints where fewer than 1% of dev questions are answered at the bar say little about its precision.
      if (precision !== null && answered.length >= dev.length / 100) worst.set(bar, Math.min(worst.get(bar)!, precision));
      return `${pct(answered.length / dev.length)} / ${precision === null ? '—' : pct(precision)}`;
    });
    console.log(`${pct(fraction).padStart(6)} | ${pct(decisions.length / dev.length)} | ${cells.join(' | ')}`);
  }
  console.log(`worst precision over the checkpoints: ${BARS.map((b) => `${b}: ${pct(worst.get(b)!)}`).join(', ')}`);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

main();
