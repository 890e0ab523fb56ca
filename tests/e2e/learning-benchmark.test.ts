/**
 * The learning benchmark's harness on a small sample of banking77 (10 labels) against the real stack: the
 * system that learns from the stream ends up clearly better than the same knowledge left static.
 */
import path from 'node:path';
import { loadDataset, restrictToLabels } from '../benchmarks/learning/dataset';
import { HarnessResult, runHarness } from '../benchmarks/learning/harness';
import { REPO_ROOT } from '../helpers/repo-root';
import { TestStack, startTestStack } from '../helpers/stack';

jest.setTimeout(300_000);

let env: TestStack;

beforeAll(async () => {
  env = await startTestStack();
});

afterAll(async () => {
  await env?.stop();
});

it('learning from a stream of banking77 questions beats the static knowledge base, and its curve rises', async () => {
  const full = loadDataset(path.join(REPO_ROOT, '..', 'shared', 'datasets', 'banking77'));
  const labels = [...new Set(full.articles.map((a) => a.externalKey!))].slice(0, 10);
  const dataset = restrictToLabels(full, labels);
  const common = { gatewayUrl: env.gatewayUrl, operatorKey: env.operatorKey, dataset, seed: 3, shots: 12, testLimit: 80, changedLabels: 0, concurrency: 4, timeToLearnEvery: 1_000, log: () => undefined };

  const learning: HarnessResult = await runHarness({ ...common, mode: 'learning', checkpoints: [0, 0.5, 1] });
  const baseline: HarnessResult = await runHarness({ ...common, mode: 'static', checkpoints: [0, 0.5, 1] });

  const top1 = (r: HarnessResult) => r.checkpoints.map((c) => c.top1);
  const [start, , end] = top1(learning);
  // Nothing learned yet: the learning workspace starts where the static one stays.
  expect(start).toBeCloseTo(baseline.checkpoints[0]!.top1, 5);
  expect(top1(baseline)).toEqual([baseline.checkpoints[0]!.top1, baseline.checkpoints[0]!.top1, baseline.checkpoints[0]!.top1]);
  // 120 questions later (12 per label, each wrong answer corrected by an agent) it is clearly better.
  expect(end! - start!).toBeGreaterThanOrEqual(0.1);
  expect(end!).toBeGreaterThan(baseline.checkpoints[2]!.top1);
  expect(learning.totals.asked).toBe(120);
  expect(learning.totals.corrections).toBeGreaterThan(0);
  expect(learning.totals.corrections).toBe(learning.totals.answeredWrong + learning.totals.handedOff);
});
