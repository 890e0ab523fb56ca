/**
 * `npm run bench:learning -- --dataset <folder> [--shots N] [--seed S] [--mode learning|static|both] [--out <dir>]
 *   [--test-limit N] [--labels N] [--changed-labels N] [--concurrency N] [--gateway URL --key OPERATOR_KEY]`
 *
 * Replays the folder's train.csv through the system as customers and agents would, scores test.csv at
 * checkpoints with the admin answer preview, and writes results.json, results.md and curves.svg to --out.
 * Without --gateway it starts the whole stack itself (as the tests do: processes from dist/, the local Postgres,
 * a Temporal dev server, chDB in a temp folder) and talks to it through the gateway only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TestStack, startTestStack } from '../../helpers/stack';
import { loadDataset, restrictToLabels } from './dataset';
import { HarnessResult, Mode, runHarness } from './harness';
import { BenchmarkRun, curveChart, markdownReport } from './report';

export const DEFAULT_CHECKPOINTS = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      shots: { type: 'string' },
      seed: { type: 'string', default: '1' },
      mode: { type: 'string', default: 'both' },
      out: { type: 'string' },
      'test-limit': { type: 'string' },
      labels: { type: 'string' },
      'changed-labels': { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '4' },
      gateway: { type: 'string' },
      key: { type: 'string' },
    },
  });
  if (!values.dataset) throw new Error('Usage: npm run bench:learning -- --dataset <folder> [--shots N] [--seed S] [--mode learning|static|both] [--out <dir>]');
  const modes: Mode[] = values.mode === 'both' ? ['learning', 'static'] : values.mode === 'learning' || values.mode === 'static' ? [values.mode] : [];
  if (modes.length === 0) throw new Error('--mode is learning, static or both');
  let dataset = loadDataset(values.dataset);
  if (values.labels) dataset = restrictToLabels(dataset, [...new Set(dataset.articles.map((a) => a.externalKey!))].slice(0, Number(values.labels)));
  const seed = Number(values.seed);
  // Results live beside the harness, one folder per data set and shot count; the README quotes them.
  const out = values.out ?? path.join('tests', 'benchmarks', 'learning', 'results', `${dataset.name}${values.shots ? `-${values.shots}-shot` : ''}`);

  let stack: TestStack | undefined;
  let gatewayUrl = values.gateway;
  let operatorKey = values.key;
  if (!gatewayUrl) {
    console.log('starting the stack (processes from dist/, local Postgres, Temporal dev server, chDB)…');
    stack = await startTestStack();
    gatewayUrl = stack.gatewayUrl;
    operatorKey = stack.operatorKey;
  }
  if (!operatorKey) throw new Error('--gateway needs --key (an operator key, which creates workspaces: npm run operator -- create-key <label>)');
  const startedAt = new Date().toISOString();
  try {
    const runs: HarnessResult[] = [];
    for (const mode of modes) {
      runs.push(
        await runHarness({
          gatewayUrl,
          operatorKey,
          dataset,
          mode,
          seed,
          shots: values.shots ? Number(values.shots) : undefined,
          checkpoints: DEFAULT_CHECKPOINTS,
          testLimit: values['test-limit'] ? Number(values['test-limit']) : undefined,
          changedLabels: Number(values['changed-labels']),
          concurrency: Number(values.concurrency),
          timeToLearnEvery: 10,
          log: (line) => console.log(line),
        }),
      );
    }
    const run: BenchmarkRun = {
      dataset: dataset.name,
      command: `npm run bench:learning -- ${process.argv.slice(2).join(' ')}`,
      startedAt,
      setup: {
        node: process.version,
        cpus: `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown'}`,
        memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
        stack: stack ? 'started by the benchmark' : gatewayUrl,
        answerer: 'extractive (no language model)',
        train: dataset.train.length,
        test: dataset.test.length,
        labels: dataset.articles.length,
      },
      runs,
    };
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'results.json'), `${JSON.stringify(run, null, 2)}\n`);
    writeFileSync(path.join(out, 'results.md'), markdownReport(run));
    writeFileSync(path.join(out, 'curves.svg'), curveChart(run));
    console.log(`\n${markdownReport(run)}\nwritten to ${out}/results.json, results.md, curves.svg`);
  } finally {
    await stack?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
