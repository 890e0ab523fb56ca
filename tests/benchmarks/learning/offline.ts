/**
 * The intent model alone, without the stack: `npm run bench:intent -- --dataset <folder> [--shots N] [--seed S]
 * [--bayes-weights 0,0.05]`. Seeds a model with the articles of kb.jsonl as a workspace's model is seeded, teaches
 * it every question of the shuffled train.csv stream once (as if each were corrected or confirmed, in order,
 * with the same replay), then ranks test.csv: top-1 and automation at 95% precision on the model's confidence
 * with no outcome evidence. It isolates the classifier from everything else the learning benchmark measures
 * (what gets taught when, thresholds, stale knowledge), so model changes can be compared in minutes.
 */
import { parseArgs } from 'node:util';
import { IntentModel } from '../../../services/knowledge/intent/intent-model';
import { questionFeatures } from '../../../services/knowledge/intent/question-features';
import { ReplayingModel, articleSentences } from '../../../services/knowledge/intent/replaying-model';
import { intentConfidence } from '../../../services/knowledge/retrieval/ranking';
import { prng } from '../bench-support';
import { loadDataset, shuffled, takeShots } from './dataset';
import { scoreCheckpoint } from './scoring';

function main(): void {
  const { values } = parseArgs({
    options: { dataset: { type: 'string' }, shots: { type: 'string' }, seed: { type: 'string', default: '1' }, 'bayes-weights': { type: 'string', default: '0,0.05' } },
  });
  if (!values.dataset) throw new Error('Usage: npm run bench:intent -- --dataset <folder> [--shots N] [--seed S] [--bayes-weights 0,0.05]');
  const dataset = loadDataset(values.dataset);
  const seed = Number(values.seed);
  let stream = shuffled(dataset.train, seed);
  if (values.shots) stream = takeShots(stream, Number(values.shots));
  console.log(`${dataset.name}: ${stream.length} questions taught${values.shots ? ` (${values.shots} per label)` : ''}, ${dataset.test.length} test, seed ${seed}; node ${process.version}`);
  for (const weight of values['bayes-weights']!.split(',').map(Number)) {
    const model = new ReplayingModel(prng(seed), new IntentModel(1, weight));
    const started = performance.now();
    for (const article of dataset.articles) for (const text of [article.title, ...articleSentences(article.body)]) model.learn(questionFeatures(text), article.externalKey!, false);
    for (const q of stream) model.learn(questionFeatures(q.text), q.label);
    const taughtMs = performance.now() - started;
    const answers = dataset.test.map((q) => {
      const [first, second] = model.rank(questionFeatures(q.text));
      return { correct: first?.itemId === q.label, confidence: first ? intentConfidence(first.score, second?.score ?? 0, 0, 0) : 0, answered: true };
    });
    const score = scoreCheckpoint(answers);
    const perQuestion = (taughtMs / stream.length).toFixed(2);
    console.log(`naive Bayes weight ${weight}: top-1 ${(score.top1 * 100).toFixed(1)}%, automation at 95% precision ${(score.automationAtPrecision * 100).toFixed(1)}% (teaching ${Math.round(taughtMs)} ms, ${perQuestion} ms a question)`);
  }
}

main();
