/**
 * `npm run bench:learning -- --dataset <folder> [--shots N] [--seed S] [--freeze-at 0.1|none] [--eval test|dev]
 *   [--out <dir>] [--test-limit N] [--labels N] [--changed-labels N] [--concurrency N] [--gateway URL --key OPERATOR_KEY]`
 *
 * Replays the folder's train.csv (less its dev split and the held-out probes) through the system as customers and
 * agents would, into a learning workspace and a frozen baseline, scores test.csv (or, for tuning, the dev split)
 * at checkpoints with the admin answer preview, and writes results.json, results.md and curves.svg to --out.
 * Without --gateway it starts the whole stack itself (as the tests do: processes from dist/, the local Postgres,
 * a Temporal dev server, chDB in a temp folder) and talks to it through the gateway only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TestStack, startTestStack } from '../../helpers/stack';
import { loadDataset, restrictToLabels } from './dataset';
import { DEFAULT_CHECKPOINTS } from './checkpoints';
import { HarnessResult, runHarness } from './harness';
import { benchmarkRun, curveChart, markdownReport } from './report';


async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      shots: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'freeze-at': { type: 'string', default: '0.1' },
      eval: { type: 'string', default: 'test' },
      out: { type: 'string' },
      'test-limit': { type: 'string' },
      labels: { type: 'string' },
      'changed-labels': { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '4' },
      gateway: { type: 'string' },
      key: { type: 'string' },
    },
  });
  if (!values.dataset) throw new Error('Usage: npm run bench:learning -- --dataset <folder> [--shots N] [--seed S] [--freeze-at 0.1|none] [--eval test|dev] [--out <dir>]');
  const freezeAt = values['freeze-at'] === 'none' ? null : Number(values['freeze-at']);
  if (freezeAt !== null && !(freezeAt >= 0 && freezeAt <= 1)) throw new Error('--freeze-at is a share of the stream between 0 and 1, or none');
  if (values.eval !== 'test' && values.eval !== 'dev') throw new Error('--eval is test (results) or dev (tuning)');
  const evaluateOn = values.eval;
  let dataset = loadDataset(values.dataset);
  if (values.labels) dataset = restrictToLabels(dataset, [...new Set(dataset.articles.map((a) => a.externalKey!))].slice(0, Number(values.labels)));
  const seed = Number(values.seed);
  // Results live beside the harness, one folder per data set and shot count; the README quotes them.
  const out = values.out ?? path.join('tests', 'benchmarks', 'learning', 'results', `${dataset.name}${values.shots ? `-${values.shots}-shot` : ''}${evaluateOn === 'dev' ? '-dev' : ''}`);

  let stack: TestStack | undefined;
  let gatewayUrl = values.gateway;
  let operatorKey = values.key;
  if (!gatewayUrl) {
    console.log('starting the stack (processes from dist/, local Postgres, Temporal dev server, chDB)…');
    stack = await startTestStack();
    gatewayUrl = stack.gatewayUrl;
    operatorKey = stack.operatorKey;
  }
  if (!operatorKey) throw new Error('--gateway needs --key (an operator key, which creates workspaces: npm run operator -- create-key)');
  const startedAt = new Date().toISOString();
  const setup = (): Record<string, string | number> => ({
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown'}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    load: os.loadavg().map((l) => l.toFixed(1)).join(' / '),
    stack: stack ? 'started by the benchmark' : gatewayUrl!,
    answerer: 'extractive (no language model)',
    train: dataset.train.length,
    test: dataset.test.length,
    scored: values['test-limit'] ? `a seeded sample of ${values['test-limit']} ${evaluateOn === 'dev' ? 'dev' : 'test.csv'} questions` : `every ${evaluateOn === 'dev' ? 'dev' : 'test.csv'} question`,
    labels: dataset.articles.length,
    topics: 'none (articles imported without a topic)',
  });
  const write = (result: HarnessResult) => {
    const run = benchmarkRun({ dataset: dataset.name, command: `npm run bench:learning -- ${process.argv.slice(2).join(' ')}`, startedAt, setup: setup(), result });
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(run, null, 2)}\n`);
    writeFileSync(path.join(out, 'results.md'), markdownReport(run));
    writeFileSync(path.join(out, 'curves.svg'), curveChart(run));
    return run;
  };
  try {
    const result = await runHarness({
      gatewayUrl,
      operatorKey,
      dataset,
      seed,
      shots: values.shots ? Number(values.shots) : undefined,
      checkpoints: DEFAULT_CHECKPOINTS,
      freezeAt,
      evaluateOn,
      testLimit: values['test-limit'] ? Number(values['test-limit']) : undefined,
      changedLabels: Number(values['changed-labels']),
      concurrency: Number(values.concurrency),
      timeToLearnEvery: 10,
      probesPerLabel: 3,
      log: (line) => console.log(line),
      // Written after every checkpoint, so a run stopped part-way leaves what it measured (marked partial).
      onCheckpoint: (partial) => write(partial),
    });
    const run = write(result);
    console.log(`\n${markdownReport(run)}\nwritten to ${out}/results.json, results.md, curves.svg`);
  } finally {
    await stack?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
