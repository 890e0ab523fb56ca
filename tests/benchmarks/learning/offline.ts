/**
 * The intent model alone, without the stack:
 *   npm run bench:intent -- --dataset <folder> [--split dev|test] [--shots N] [--seed S]
 *                           [--rows 8192] [--bayes-weights 0.05] [--centroid-weights 1] [--meaning-weights 2] [--memory 4096] [--replay 5]
 *                           [--word-weights 1] [--char-grams 3-5] [--article-updates false,true]
 * Seeds a model with the articles of kb.jsonl as a workspace's model is seeded and teaches it a shuffled stream
 * of train.csv questions once each (as if each were corrected or confirmed, in order, with the same replay).
 *
 * `--split dev` (the default, and the only split any constant is chosen on): a fixed-seed 10% of train.csv,
 * stratified by label (dev-split.ts), is held out and scored; the stream is the rest. `--split test` (final
 * reporting only): the same model is scored on the dev split to choose the confidence threshold that holds 95%
 * precision there, then taught the dev questions too (unless --shots) and scored on test.csv, reporting top-1 and
 * the share answered at the dev threshold with its precision on test.
 *
 * `--change N` (with `--change-applied false` for the baseline): halfway through the stream the answer of N labels
 * changes, and their later questions teach a new item that supersedes the old one; reports dev top-1 on the
 * labels the change did not touch apart from the changed ones.
 *
 * `--batch-epochs E` adds the bar for unseen data: the same features in a linear model trained in batch (E shuffled
 * passes) on the same examples.
 *
 * Every option taking a comma list is a sweep: one model per combination. Prints each, and writes JSON to
 * tests/benchmarks/results/intent-<data set>[-N-shot]-<split>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { INTENT_MODEL_DEFAULTS, IntentModel, IntentPrediction } from '../../../services/knowledge/intent/intent-model';
import { FEATURE_DEFAULTS, questionFeatures } from '../../../services/knowledge/intent/question-features';
import { ARTICLE_UPDATES, REPLAY, REPLAY_MEMORY, ReplayingModel, ReplayingModelOptions, articleSentences } from '../../../services/knowledge/intent/replaying-model';
import { wordVectors } from '../../../services/knowledge/intent/word-vectors';
import { NO_EVIDENCE, intentConfidence } from '../../../services/knowledge/retrieval/ranking';
import { REPO_ROOT } from '../../helpers/repo-root';
import { prng } from '../bench-support';
import { Dataset, LabelledQuestion, loadDataset, restrictToLabels, shuffled, takeShots } from './dataset';
import { DEV_SPLIT, devSplit } from './dev-split';
import { ScoredAnswer, scoreCheckpoint } from './scoring';

const PRECISION_TARGET = 0.95;

interface Evaluation {
  questions: number;
  top1: number;
  /** Largest share answerable at ≥ 95% precision with the cut chosen on these same questions. */
  automationAtPrecision: number;
  confidenceCut: number | null;
  /** Mean CPU time (user + system) to rank one question, features included, in ms: on a shared machine, wall time measures the neighbours. */
  scoringMs: number;
  /** Mean wall time to rank one question, in ms. */
  scoringWallMs: number;
}

interface Ranker {
  rank(text: string): IntentPrediction[];
}

/**
 * The bar for unseen data: a linear model over the same word and character n-grams trained in batch on the same
 * examples (articles and stream), here PA-II run for `epochs` shuffled passes to convergence, with a hash space
 * large enough for few collisions and no votes.
 */
function batchReference(dataset: Dataset, stream: readonly LabelledQuestion[], epochs: number, seed: number): Ranker {
  const model = new IntentModel({ rows: 1 << 18, centroidWeight: 0, bayesWeight: 0 });
  const examples = [...dataset.articles.flatMap((a) => [a.title, ...articleSentences(a.body)].map((text) => ({ text, label: a.externalKey! }))), ...stream].map((q) => ({ x: questionFeatures(q.text), label: q.label }));
  for (let epoch = 0; epoch < epochs; epoch++) for (const e of shuffled(examples, seed + epoch)) model.sharpen(e.x, e.label);
  return { rank: (text) => model.rank(questionFeatures(text)) };
}

/** A changed label's answer after the change: the learned answer that superseded what was taught before. */
const renewed = (label: string) => `${label}#changed`;

/**
 * The questions taught, with a product change halfway when `changed` is not empty: from then on each changed
 * label's questions teach a new answer, which supersedes (relabel) the label's item at its first question, as
 * a corrected stale learned answer is superseded in the live system.
 */
function teach(model: ReplayingModel, stream: readonly LabelledQuestion[], changed: ReadonlySet<string>): void {
  const superseded = new Set<string>();
  stream.forEach((q, i) => {
    if (i < stream.length / 2 || !changed.has(q.label)) return model.learn(q.text, q.label);
    if (!superseded.has(q.label)) superseded.add(q.label), model.relabel(q.label, renewed(q.label));
    model.learn(q.text, renewed(q.label));
  });
}

function evaluate(model: Ranker, questions: readonly LabelledQuestion[], changed: ReadonlySet<string> = new Set()): Evaluation & { answers: ScoredAnswer[] } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const answers = questions.map((q) => {
    const [first, second] = model.rank(q.text);
    return { correct: first?.itemId === (changed.has(q.label) ? renewed(q.label) : q.label), confidence: first ? intentConfidence(first.score, second?.score ?? 0, NO_EVIDENCE) : 0, answered: true };
  });
  const scoringWallMs = (performance.now() - started) / questions.length;
  const used = process.cpuUsage(cpu);
  const scoringMs = (used.user + used.system) / 1000 / questions.length;
  const score = scoreCheckpoint(answers, PRECISION_TARGET);
  return { questions: questions.length, top1: score.top1, automationAtPrecision: score.automationAtPrecision, confidenceCut: score.confidenceCut, scoringMs, scoringWallMs, answers };
}

/** Live heap plus typed-array memory, after a full collection when node runs with --expose-gc. */
function memoryInUse(): number {
  // Twice: typed arrays' backing stores are released after the collection that frees their owners.
  for (let i = 0; i < 2; i++) (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

function seedWithArticles(model: ReplayingModel, dataset: Dataset): void {
  for (const article of dataset.articles) for (const text of [article.title, ...articleSentences(article.body)]) model.learn(text, article.externalKey!, false);
}

const list = (value: string | undefined, fallback: number) => (value ?? String(fallback)).split(',').map(Number);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function main(): void {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      split: { type: 'string', default: 'dev' },
      shots: { type: 'string' },
      change: { type: 'string', default: '0' },
      'batch-epochs': { type: 'string', default: '0' },
      labels: { type: 'string' },
      'change-applied': { type: 'string', default: 'true' },
      seed: { type: 'string', default: '1' },
      rows: { type: 'string' },
      'bayes-weights': { type: 'string' },
      'centroid-weights': { type: 'string' },
      'meaning-weights': { type: 'string' },
      memory: { type: 'string' },
      replay: { type: 'string' },
      'word-weights': { type: 'string' },
      'char-grams': { type: 'string' },
      'article-updates': { type: 'string' },
    },
  });
  if (!values.dataset || (values.split !== 'dev' && values.split !== 'test')) {
    throw new Error('Usage: npm run bench:intent -- --dataset <folder> [--split dev|test] [--shots N] [--seed S] [--rows 8192] [--bayes-weights 0.05] [--centroid-weights 1] [--meaning-weights 2] [--memory 4096] [--replay 5] [--word-weights 1] [--char-grams 3-5]');
  }
  const split = values.split;
  const full = loadDataset(values.dataset);
  // --labels N: a smaller workspace, N labels drawn with the seed (the size of the unseen data sets: 14 to 60).
  const dataset = values.labels ? restrictToLabels(full, shuffled([...new Set(full.train.map((q) => q.label))], Number(values.seed) + 11).slice(0, Number(values.labels))) : full;
  const seed = Number(values.seed);
  const shots = values.shots ? Number(values.shots) : undefined;
  const { rest, dev } = devSplit(dataset.train);
  let stream = shuffled(rest, seed);
  if (shots) stream = takeShots(stream, shots);
  const label = split === 'dev' ? 'dev split (tuning)' : 'TEST SET (final reporting; nothing is chosen here)';
  console.log(
    `${dataset.name}: ${stream.length} questions taught${shots ? ` (${shots} per label)` : ''}, scored on the ${label}; dev ${dev.length} questions (${DEV_SPLIT.fraction * 100}% of train.csv per label, seed ${DEV_SPLIT.seed}), test ${dataset.test.length}, stream seed ${seed}; node ${process.version}`,
  );

  // Read once and handed to every model; not part of a variant (its options are written to the results JSON).
  const vectors = wordVectors();
  const variants: Array<Omit<ReplayingModelOptions, 'vectors'>> = [];
  for (const rows of list(values.rows, INTENT_MODEL_DEFAULTS.rows))
    for (const bayesWeight of list(values['bayes-weights'], INTENT_MODEL_DEFAULTS.bayesWeight))
      for (const centroidWeight of list(values['centroid-weights'], INTENT_MODEL_DEFAULTS.centroidWeight))
        for (const meaningWeight of list(values['meaning-weights'], INTENT_MODEL_DEFAULTS.meaningWeight))
          for (const memory of list(values.memory, REPLAY_MEMORY))
            for (const replay of list(values.replay, REPLAY))
              for (const wordWeight of list(values['word-weights'], FEATURE_DEFAULTS.wordWeight))
                for (const [charMin, charMax] of (values['char-grams'] ?? `${FEATURE_DEFAULTS.charMin}-${FEATURE_DEFAULTS.charMax}`).split(',').map((range) => range.split('-').map(Number)))
                  for (const articleUpdates of (values['article-updates'] ?? String(ARTICLE_UPDATES)).split(',').map((v) => v === 'true'))
                    variants.push({ rows, bayesWeight, centroidWeight, meaningWeight, meaningDimensions: INTENT_MODEL_DEFAULTS.meaningDimensions, memory, replay, features: { wordWeight, charMin: charMin!, charMax: charMax! }, articleUpdates });

  const labels = [...new Set(dataset.train.map((q) => q.label))];
  const chosen = new Set(shuffled(labels, seed + 7).slice(0, Number(values.change)));
  // --change-applied false: the same labels are reported apart, with no change (the baseline to compare with).
  const changed = values['change-applied'] === 'false' ? new Set<string>() : chosen;
  const results = variants.map((options) => {
    const before = memoryInUse();
    const model = new ReplayingModel(prng(seed), { ...options, vectors });
    const cpu = process.cpuUsage();
    seedWithArticles(model, dataset);
    teach(model, stream, changed);
    const used = process.cpuUsage(cpu);
    const teachingMs = (used.user + used.system) / 1000 / stream.length;
    const heapBytes = memoryInUse() - before;
    const { answers: _devAnswers, ...dev_ } = evaluate(model, dev, changed);
    const onDev = dev_;
    // With a product change: top-1 on the dev questions of the labels it did not touch, and of those it did.
    const untouched = chosen.size ? evaluate(model, dev.filter((q) => !chosen.has(q.label))).top1 : undefined;
    const touched = chosen.size ? evaluate(model, dev.filter((q) => chosen.has(q.label)), changed).top1 : undefined;
    let test: (Evaluation & { answeredAtDevCut: number; precisionAtDevCut: number | null }) | undefined;
    if (split === 'test') {
      if (!shots) for (const q of shuffled(dev, seed)) model.learn(q.text, changed.has(q.label) ? renewed(q.label) : q.label);
      const { answers, ...scored } = evaluate(model, dataset.test, changed);
      const cut = onDev.confidenceCut;
      const answered = cut === null ? [] : answers.filter((a) => a.confidence >= cut);
      test = {
        ...scored,
        answeredAtDevCut: answered.length / answers.length,
        precisionAtDevCut: answered.length ? answered.filter((a) => a.correct).length / answered.length : null,
      };
    }
    const line = [
      `article updates ${options.articleUpdates}, rows ${options.rows}, naive Bayes ${options.bayesWeight}, centroid ${options.centroidWeight}, meaning ${options.meaningWeight}, memory ${options.memory}, replay ${options.replay}, word weight ${options.features.wordWeight}, char ${options.features.charMin}-${options.features.charMax}:`,
      `dev top-1 ${pct(dev_.top1)}, automation at 95% precision ${pct(dev_.automationAtPrecision)} (cut ${dev_.confidenceCut?.toFixed(3) ?? 'none'})`,
      untouched !== undefined ? `| ${changed.size ? 'after' : 'without'} a change to ${chosen.size} labels: dev top-1 ${pct(untouched)} on the others, ${pct(touched!)} on the changed ones` : '',
      test ? `| test top-1 ${pct(test.top1)}, answered at the dev cut ${pct(test.answeredAtDevCut)} with precision ${test.precisionAtDevCut === null ? '-' : pct(test.precisionAtDevCut)}` : '',
      `| CPU per question: scoring ${dev_.scoringMs.toFixed(3)} ms, teaching ${teachingMs.toFixed(2)} ms; model ${(model.bytes / 1e6).toFixed(2)} MB (heap + buffers ${(heapBytes / 1e6).toFixed(2)} MB)`,
    ];
    console.log(line.filter(Boolean).join(' '));
    return { options, dev: dev_, change: chosen.size ? { labels: [...chosen], applied: changed.size > 0, untouchedTop1: untouched, changedTop1: touched } : undefined, test, teachingMs, modelBytes: model.bytes, heapBytes, items: model.classes };
  });

  let batch: { epochs: number; devTop1: number; testTop1?: number } | undefined;
  const epochs = Number(values['batch-epochs']);
  if (epochs > 0) {
    const reference = batchReference(dataset, stream, epochs, seed);
    batch = { epochs, devTop1: evaluate(reference, dev).top1 };
    if (split === 'test') batch.testTop1 = evaluate(batchReference(dataset, shots ? stream : [...stream, ...dev], epochs, seed), dataset.test).top1;
    console.log(`batch reference (PA-II, ${epochs} passes, 2^18 rows, no votes): dev top-1 ${pct(batch.devTop1)}${batch.testTop1 === undefined ? '' : ` | test top-1 ${pct(batch.testTop1)}`}`);
  }
  const out = path.join(REPO_ROOT, 'tests', 'benchmarks', 'results', `intent-${dataset.name}${values.labels ? `-${values.labels}-labels` : ''}${shots ? `-${shots}-shot` : ''}${chosen.size ? `-change-${chosen.size}${changed.size ? '' : '-baseline'}` : ''}-${split}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  const setup = { dataset: dataset.name, split, tuning: 'dev-split', devFraction: DEV_SPLIT.fraction, devSeed: DEV_SPLIT.seed, streamSeed: seed, shots: shots ?? null, taught: stream.length, dev: dev.length, test: dataset.test.length, node: process.version, cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`, gc: typeof (globalThis as { gc?: unknown }).gc === 'function', at: new Date().toISOString() };
  writeFileSync(out, `${JSON.stringify({ setup, results, batch }, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

main();
