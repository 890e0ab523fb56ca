/**
 * `npm run bench:day-one -- --dataset <folder> [--split dev|test] [--seed S] [--concurrency N]`
 *
 * Day-one answering, before anyone has corrected anything: imports the folder's kb.jsonl into a fresh
 * workspace through the real import path, without topics (a real help centre's topics are not the data set's
 * labels), and previews questions with the admin `previewAnswer` (answers as `ask` would, records nothing).
 * Reports top-1, the share answered at the default thresholds and the precision of those answers, then the
 * same for every article's own title (which must preview to that article).
 *
 * `--split dev` (the default) scores the dev split of train.csv (learning/dev-split.ts, shared by every benchmark): the split that chose
 * retrieval's constants. `--split test` scores test.csv, for reporting only; nothing is tuned on it.
 * Writes JSON to tests/benchmarks/results/day-one-<data set>-<split>.json. Reuses the learning benchmark's
 * harness in its static mode (import once, score, learn nothing).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startTestStack } from '../helpers/stack';
import { runIfScript } from './bench-support';
import { Dataset, LabelledQuestion, loadDataset } from './learning/dataset';
import { DEV_SPLIT, devSplit } from './learning/dev-split';
import { HarnessResult, runHarness } from './learning/harness';

/** The data set as a help centre would import it: the same articles, no label-derived topics. */
function withoutTopics(dataset: Dataset, questions: LabelledQuestion[]): Dataset {
  return { ...dataset, train: [], test: questions, articles: dataset.articles.map(({ topic: _topic, ...article }) => article) };
}

interface Scored {
  questions: number;
  top1: number;
  answered: number;
  answeredPrecision: number | null;
  automationAt95: number;
  confidenceCutAt95: number | null;
  seconds: number;
}

function summary(result: HarnessResult): Scored {
  const score = result.learning.checkpoints[0]!;
  return {
    questions: result.evaluationQuestions,
    top1: score.top1,
    answered: score.answeredShare,
    answeredPrecision: score.answeredPrecision,
    automationAt95: score.oracleAutomationAt95,
    confidenceCutAt95: score.oracleConfidenceCut,
    seconds: Math.round(result.durationSeconds * 10) / 10,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      split: { type: 'string', default: 'dev' },
      seed: { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '4' },
    },
  });
  if (!values.dataset) throw new Error('Usage: npm run bench:day-one -- --dataset <folder> [--split dev|test] [--seed S]');
  if (values.split !== 'dev' && values.split !== 'test') throw new Error('--split is dev or test');
  const dataset = loadDataset(values.dataset);
  const questions = values.split === 'dev' ? devSplit(dataset.train).dev : dataset.test;
  const titles = dataset.articles.map((a) => ({ text: a.title, label: a.externalKey! }));

  console.log('starting the stack (processes from dist/, local Postgres, Temporal dev server, chDB)…');
  const stack = await startTestStack();
  const startedAt = new Date().toISOString();
  try {
    const score = async (test: LabelledQuestion[]) =>
      summary(
        await runHarness({
          gatewayUrl: stack.gatewayUrl,
          operatorKey: stack.operatorKey,
          dataset: withoutTopics(dataset, test),
          seed: Number(values.seed),
          checkpoints: [0],
          freezeAt: null,
          evaluateOn: 'test',
          probesPerLabel: 0,
          changedLabels: 0,
          concurrency: Number(values.concurrency),
          timeToLearnEvery: Number.MAX_SAFE_INTEGER,
          log: (line) => console.log(line),
        }),
      );
    const result = {
      dataset: dataset.name,
      split: values.split,
      command: `npm run bench:day-one -- ${process.argv.slice(2).join(' ')}`,
      startedAt,
      setup: {
        node: process.version,
        cpus: `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown'}`,
        stack: 'started by the benchmark',
        articles: dataset.articles.length,
        topics: 'none (imported without label-derived topics)',
        devSplit: values.split === 'dev' ? { ...DEV_SPLIT, tuning: 'dev-split' } : null,
      },
      questions: await score(questions),
      titles: await score(titles),
    };
    const out = path.join('tests', 'benchmarks', 'results');
    mkdirSync(out, { recursive: true });
    const file = path.join(out, `day-one-${dataset.name}-${values.split}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
    console.log(
      `\n${dataset.name} ${values.split} (${result.questions.questions} questions): top-1 ${pct(result.questions.top1)}, answered ${pct(result.questions.answered)} at ${pct(result.questions.answeredPrecision)} precision, automation at 95% precision ${pct(result.questions.automationAt95)}`,
    );
    console.log(`titles (${result.titles.questions}): preview to their own article ${pct(result.titles.top1)}, answered ${pct(result.titles.answered)} at ${pct(result.titles.answeredPrecision)} precision`);
    console.log(`written to ${file}`);
  } finally {
    await stack.stop();
  }
}

runIfScript(module, main);
