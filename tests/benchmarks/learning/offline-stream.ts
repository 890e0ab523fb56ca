/**
 * The stream the offline benchmarks (operating-point, choice-rule, word-vectors) replay, as the learning benchmark
 * builds it: the dev split carved from train.csv, three questions per label held out as unseen paraphrases, the
 * rest shuffled with the seed (`shots`: its first N questions per label); and the intent model seeded with the
 * articles' titles and sentences, as the live system seeds it. Nothing here reads test.csv.
 */
import { parseArgs } from 'node:util';
import { ReplayingModel, articleSentences } from '../../../services/knowledge/intent/replaying-model';
import { prng } from '../bench-support';
import { Dataset, LabelledQuestion, loadDataset, shuffled, takePerLabel, takeShots } from './dataset';
import { devSplit } from './dev-split';

export interface OfflineStream {
  dataset: Dataset;
  dev: LabelledQuestion[];
  stream: LabelledQuestion[];
  model: ReplayingModel;
  /** "banking77 10-shot": the data set and the stream's shots, for the report's first line. */
  name: string;
}

/** `meaningWeight`: the intent model's meaning vote (default: the model's own; 0 leaves the word vectors out). */
export function offlineStream(dataset: Dataset, seed: number, shots?: string, meaningWeight?: number): OfflineStream {
  const { dev, rest } = devSplit(dataset.train);
  const held = takePerLabel(rest, () => 3, seed + 11);
  let stream = shuffled(held.rest, seed);
  if (shots) stream = takeShots(stream, Number(shots));
  const model = new ReplayingModel(prng(seed), meaningWeight === undefined ? {} : { meaningWeight, ...(meaningWeight === 0 ? { vectors: null } : {}) });
  for (const article of dataset.articles) for (const text of [article.title, ...articleSentences(article.body)]) model.learn(text, article.externalKey!, false);
  return { dataset, dev, stream, model, name: `${dataset.name}${shots ? ` ${shots}-shot` : ''}` };
}

/** The stream of the command line's `--dataset <folder> [--shots N] [--seed S] [--meaning-weight W]`, or a usage error naming `script`. */
export function offlineStreamFromArgs(script: string): OfflineStream {
  const { values } = parseArgs({ options: { dataset: { type: 'string' }, shots: { type: 'string' }, seed: { type: 'string', default: '1' }, 'meaning-weight': { type: 'string' } } });
  if (!values.dataset) throw new Error(`Usage: npm run ${script} -- --dataset <folder> [--shots N] [--seed S] [--meaning-weight W]`);
  const meaningWeight = values['meaning-weight'] === undefined ? undefined : Number(values['meaning-weight']);
  const stream = offlineStream(loadDataset(values.dataset), Number(values.seed), values.shots, meaningWeight);
  return meaningWeight === undefined ? stream : { ...stream, name: `${stream.name}, meaning weight ${meaningWeight}` };
}
