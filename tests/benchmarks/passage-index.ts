/**
 * The knowledge service's passage index alone (services/knowledge/retrieval/passage-index.ts), no stack: heap held
 * per passage, time to rank a question, and time to apply a catch-up that rewrites 1% of the items.
 *
 *   npm run bench:passage-index -- [--dataset ../shared/datasets/banking77] [--passages 10000,100000]
 *                                  [--questions 500] [--seed 7] [--out tests/benchmarks/results/passage-index.json]
 *
 * Passages are made as bench:ask makes its synthetic articles' paragraphs: sentences of the data set's kb.jsonl
 * drawn at random (seeded) until a paragraph has 600-750 characters, four paragraphs per article, titled by a
 * real article's title. Lexemes are the shared tokeniser's stemmed words minus stop words (Postgres's `english`
 * configuration differs in detail, not in how many lexemes a passage has). Questions are test.csv's, worded as
 * customers wrote them. Strings are built per row, as the Postgres driver builds them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WorkspacePassages } from '../../services/knowledge/retrieval/passage-index';
import { STOP_WORDS, sentences, stem, tokens } from '../../services/shared/text';
import { distribution, intListOption, intOption, machineSetup, prng, runIfScript } from './bench-support';
import { loadDataset } from './learning/dataset';

const lexemesOf = (text: string) => tokens(text).filter((word) => !STOP_WORDS.has(word)).map(stem);

/** A fresh copy of a string (not shared with the generator's), as a driver would hand it over. */
const fresh = (text: string) => Buffer.from(text).toString();

function counted(words: readonly string[]): { lexemes: string[]; counts: number[] } {
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  return { lexemes: [...counts.keys()].map(fresh), counts: [...counts.values()] };
}

interface Corpus {
  items: Array<{ id: string; kind: string; title: string; titleLexemes: string[]; titleCounts: number[] }>;
  passages: Array<{ id: string; itemId: string; digest: string; length: number; lexemes: string[]; counts: number[] }>;
}

function corpus(pool: readonly string[], titles: readonly string[], passages: number, seed: number): Corpus {
  const random = prng(seed);
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const made: Corpus = { items: [], passages: [] };
  while (made.passages.length < passages) {
    const title = titles[Math.floor(random() * titles.length)]!;
    const item = { id: fresh(`${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`), kind: 'article', title: fresh(title), ...titleTerms(title) };
    made.items.push(item);
    for (let p = 0; p < 4 && made.passages.length < passages; p++) {
      let text = '';
      while (text.length < 600) text += `${pool[Math.floor(random() * pool.length)]} `;
      const { lexemes, counts } = counted(lexemesOf(text));
      made.passages.push({ id: fresh(`${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`), itemId: item.id, digest: fresh(hex(32)), length: lexemes.length, lexemes, counts });
    }
  }
  return made;
}

function titleTerms(title: string): { titleLexemes: string[]; titleCounts: number[] } {
  const { lexemes, counts } = counted(lexemesOf(title));
  return { titleLexemes: lexemes, titleCounts: counts };
}

function heapUsed(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:passage-index does)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string', default: path.join('..', 'shared', 'datasets', 'banking77') },
      passages: { type: 'string', default: '10000,100000' },
      questions: { type: 'string', default: '500' },
      seed: { type: 'string', default: '7' },
      out: { type: 'string', default: path.join('tests', 'benchmarks', 'results', 'passage-index.json') },
    },
  });
  const sizes = intListOption('passages', values.passages, 1);
  const questionCount = intOption('questions', values.questions, 1);
  const seed = intOption('seed', values.seed, 0);
  const dataset = loadDataset(values.dataset!);
  const pool = dataset.articles.flatMap((article) => sentences(article.body));
  const titles = dataset.articles.map((article) => article.title);
  const questions = dataset.test.slice(0, questionCount).map((q) => ({ text: q.text, lexemes: [...new Set(lexemesOf(q.text))] }));
  console.log(`${dataset.name}: ${pool.length} sentences, ${titles.length} titles; ${questions.length} test questions`);

  const runs = [];
  for (const size of sizes) {
    const { items, passages } = corpus(pool, titles, size, seed);
    const before = heapUsed();
    const index = new WorkspacePassages();
    let started = performance.now();
    index.apply(1, items, passages);
    const loadMs = performance.now() - started;
    const heapBytes = heapUsed() - before;
    const rankMs: number[] = [];
    for (let round = 0; round < 2; round++) {
      for (const question of questions) {
        started = performance.now();
        index.rank(question.lexemes, question.text, 100);
        if (round === 1) rankMs.push(performance.now() - started);
      }
    }
    // A catch-up that rewrites 1% of the items (their passages read again).
    const changed = new Set(items.filter((_, i) => i % 100 === 0).map((item) => item.id));
    started = performance.now();
    index.apply(2, items.filter((item) => changed.has(item.id)), passages.filter((p) => changed.has(p.itemId)));
    const catchUpMs = performance.now() - started;
    const lexemesPerPassage = passages.reduce((sum, p) => sum + p.lexemes.length, 0) / passages.length;
    const run = {
      passages: size,
      items: items.length,
      lexemesPerPassage: Number(lexemesPerPassage.toFixed(1)),
      heapMiB: Number((heapBytes / 1048576).toFixed(1)),
      heapKiBPerPassage: Number((heapBytes / size / 1024).toFixed(2)),
      loadMs: Number(loadMs.toFixed(0)),
      rankMs: distribution(rankMs),
      catchUpOnePercentMs: Number(catchUpMs.toFixed(1)),
    };
    runs.push(run);
    console.log(
      `${size} passages (${items.length} articles, ${run.lexemesPerPassage} lexemes each): ${run.heapMiB} MiB (${run.heapKiBPerPassage} KiB per passage), ` +
        `built in ${run.loadMs} ms; rank p50 ${run.rankMs.p50} ms, p99 ${run.rankMs.p99} ms; catch-up of 1% of items ${run.catchUpOnePercentMs} ms`,
    );
  }
  const summary = {
    benchmark: 'passage-index',
    at: new Date().toISOString(),
    command: `npm run bench:passage-index -- ${process.argv.slice(2).join(' ')}`.trim(),
    setup: { ...machineSetup(), dataset: dataset.name, seed, questions: questions.length, limit: 100 },
    runs,
  };
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`written to ${values.out}`);
}

runIfScript(module, main);
