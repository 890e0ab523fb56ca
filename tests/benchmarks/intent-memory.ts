/**
 * Memory of the workspace intent models in one knowledge process:
 *   npm run bench:intent-memory [-- --workspaces 1000 --max-per-label 10 --max-bytes <bytes> --max-models <n> --seed 1]
 * Seeds a throwaway Postgres database on the tests' server (TEST_POSTGRES_URL; tests/helpers/test-postgres.ts)
 * with N workspaces, each holding a random 5 to 77 of banking77's articles and, per article, 1 to --max-per-label
 * of its train.csv questions as question variants (written straight to the tables: this measures the models, not
 * the write path). Then asks one question in every workspace in turn through IntentModels with the given bounds
 * (default: the production defaults), so models are built from Postgres and the least recently used are evicted.
 * Reports the bytes of each model as built, process RSS and heap as workspaces are added, the models held, and the
 * time to rebuild an evicted model. JSON to tests/benchmarks/results/intent-memory.json.
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openKnowledgeDatabase } from '../../services/knowledge/database';
import { DEFAULT_INTENT_MODEL_BOUNDS, IntentModels } from '../../services/knowledge/intent/intent-models';
import { createThrowawayDatabase } from '../helpers/database';
import { REPO_ROOT } from '../helpers/repo-root';
import { distribution, prng } from './bench-support';
import { loadDataset } from './learning/dataset';

const MB = 1024 * 1024;

function memory() {
  for (let i = 0; i < 2; i++) (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { rssMB: usage.rss / MB, heapMB: usage.heapUsed / MB, buffersMB: usage.arrayBuffers / MB };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      workspaces: { type: 'string', default: '1000' },
      'max-per-label': { type: 'string', default: '10' },
      'max-bytes': { type: 'string', default: String(DEFAULT_INTENT_MODEL_BOUNDS.maxBytes) },
      'max-models': { type: 'string', default: String(DEFAULT_INTENT_MODEL_BOUNDS.maxModels) },
      seed: { type: 'string', default: '1' },
    },
  });
  const workspaceCount = Number(values.workspaces);
  const maxPerLabel = Number(values['max-per-label']);
  const bounds = { maxBytes: Number(values['max-bytes']), maxModels: Number(values['max-models']) };
  const random = prng(Number(values.seed));
  const dataset = loadDataset(path.join(REPO_ROOT, '..', 'shared', 'datasets', 'banking77'));
  const byLabel = new Map<string, string[]>();
  for (const q of dataset.train) byLabel.set(q.label, [...(byLabel.get(q.label) ?? []), q.text]);

  const database = await createThrowawayDatabase('loopdesk_bench_intent_memory');
  const db = await openKnowledgeDatabase(database.url);
  try {
    const seedStarted = Date.now();
    const workspaceIds: string[] = [];
    const items: number[] = [];
    let variantRows = 0;
    for (let w = 0; w < workspaceCount; w++) {
      const [{ id: workspaceId }] = await db.query(`SELECT gen_random_uuid() AS id`);
      const articles = [...dataset.articles].sort(() => random() - 0.5).slice(0, 5 + Math.floor(random() * (dataset.articles.length - 4)));
      const ids: Array<{ id: string }> = await db.query(
        `INSERT INTO knowledge.knowledge_items (workspace_id, kind, status, title, body) SELECT $1, 'article', 'published', t, b FROM unnest($2::text[], $3::text[]) AS a(t, b) RETURNING id`,
        [workspaceId, articles.map((a) => a.title), articles.map((a) => a.body)],
      );
      const variantItems: string[] = [];
      const variantTexts: string[] = [];
      articles.forEach((article, k) => {
        const questions = byLabel.get(article.externalKey!) ?? [];
        const n = 1 + Math.floor(random() * maxPerLabel);
        for (let i = 0; i < n && questions.length > 0; i++) {
          variantItems.push(ids[k]!.id);
          variantTexts.push(questions[Math.floor(random() * questions.length)]!);
        }
      });
      await db.query(`INSERT INTO knowledge.question_variants (workspace_id, item_id, text) SELECT $1, i, t FROM unnest($2::uuid[], $3::text[]) AS v(i, t)`, [workspaceId, variantItems, variantTexts]);
      workspaceIds.push(workspaceId);
      items.push(articles.length);
      variantRows += variantTexts.length;
    }
    console.log(`seeded ${workspaceCount} workspaces (${items.reduce((a, b) => a + b, 0)} articles, ${variantRows} variants) in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    const models = new IntentModels(db, undefined, bounds);
    const start = memory();
    const modelBytes: number[] = [];
    const buildMs: number[] = [];
    const trace: Array<{ workspaces: number; held: number; heldMB: number; rssMB: number; heapMB: number; buffersMB: number }> = [];
    for (const [w, workspaceId] of workspaceIds.entries()) {
      const started = performance.now();
      await models.ready(workspaceId);
      buildMs.push(performance.now() - started);
      modelBytes.push(models.bytesOf(workspaceId) ?? 0);
      await models.rank(workspaceId, 'my card has not arrived');
      if ((w + 1) % 100 === 0 || w + 1 === workspaceIds.length) {
        const point = { workspaces: w + 1, held: models.held().length, heldMB: models.bytes / MB, ...memory() };
        trace.push(point);
        console.log(`${point.workspaces} workspaces: ${point.held} models held, ${point.heldMB.toFixed(1)} MB by their count; process RSS ${point.rssMB.toFixed(0)} MB, heap ${point.heapMB.toFixed(0)} MB, typed arrays ${point.buffersMB.toFixed(0)} MB`);
      }
    }
    const rebuildMs: number[] = [];
    for (const workspaceId of workspaceIds.slice(0, 20)) {
      if (models.bytesOf(workspaceId) !== undefined) continue;
      const started = performance.now();
      await models.ready(workspaceId);
      rebuildMs.push(performance.now() - started);
    }
    const bytesPerItem = modelBytes.map((b, i) => b / items[i]!);
    const summary = {
      modelMB: distribution(modelBytes.map((b) => b / MB)),
      bytesPerItem: distribution(bytesPerItem),
      buildMs: distribution(buildMs),
      rebuildMs: distribution(rebuildMs),
      allModelsMB: modelBytes.reduce((a, b) => a + b, 0) / MB,
    };
    console.log(
      `model size MB p50 ${summary.modelMB.p50}, max ${summary.modelMB.max} (bytes per item p50 ${summary.bytesPerItem.p50}); all ${workspaceCount} models together would hold ${summary.allModelsMB.toFixed(0)} MB; bound ${(bounds.maxBytes / MB).toFixed(0)} MB / ${bounds.maxModels} models; build p50 ${summary.buildMs.p50} ms, p99 ${summary.buildMs.p99} ms; rebuild of an evicted model p50 ${summary.rebuildMs.p50} ms over ${summary.rebuildMs.n}`,
    );
    const out = path.join(REPO_ROOT, 'tests', 'benchmarks', 'results', 'intent-memory.json');
    mkdirSync(path.dirname(out), { recursive: true });
    const setup = { workspaces: workspaceCount, maxPerLabel, bounds, seed: Number(values.seed), variants: variantRows, node: process.version, cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`, gc: typeof (globalThis as { gc?: unknown }).gc === 'function', at: new Date().toISOString() };
    writeFileSync(out, `${JSON.stringify({ setup, start, trace, summary }, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } finally {
    await db.destroy();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
