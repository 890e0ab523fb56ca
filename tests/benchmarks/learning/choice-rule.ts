/**
 * `npm run bench:choice -- --dataset <folder> [--shots N] [--seed S]`
 *
 * Who chooses the answer, retrieval or the intent model, weighed on the dev split only (no stack, no test.csv).
 * The model is seeded with the articles and taught the stream as operating-point.ts teaches it (dev split and
 * probes left out); retrieval is OfflineRetrieval (BM25F over the articles, as ranking.ts scores them). At the
 * learning benchmark's checkpoints every dev question is put to each rule, and the rule's top-1 is reported, with
 * the share it would answer at the untaught bars (retrieval 0.85, model 0.7) and the precision of those answers:
 * - `retrieval`: retrieval alone;
 * - `takeover ≥ t`: the model chooses when its best item is one it was taught and it is at least t sure, else
 *   retrieval (the rule of retrieval.service.ts before this benchmark, with t = 0.5);
 * - `takeover ≥ t, unless retrieval answers`: as above, and also when retrieval is under its own bar (it would
 *   hand off anyway, so the question is only which candidate the hand-off carries and the top-1 it counts);
 * - `model`: the model's best item always, taught or not.
 */
import type { ReplayingModel } from '../../../services/knowledge/intent/replaying-model';
import { NO_EVIDENCE, intentConfidence } from '../../../services/knowledge/retrieval/ranking';
import { offlineStreamFromArgs } from './offline-stream';
import { DEFAULT_CHECKPOINTS } from './checkpoints';
import { OfflineRetrieval } from './offline-retrieval';

const RETRIEVAL_BAR = 0.85;
const INTENT_BAR = 0.7;
const TAKEOVERS = [0, 0.2, 0.3, 0.4, 0.5];
const answerOf = (itemId: string) => itemId.replace(/#learned$/, '');

interface Decision {
  label: string | null;
  scale: 'intent' | 'retrieval';
  confidence: number;
}

function main(): void {
  const { dataset, dev, stream, model, name } = offlineStreamFromArgs('bench:choice');
  const retrieval = new OfflineRetrieval(dataset.articles.map((a) => ({ itemId: a.externalKey!, title: a.title, body: a.body })));
  const retrieved = dev.map((q) => retrieval.rank(q.text));
  console.log(`${name}: stream ${stream.length}, dev ${dev.length} (dev split only); cells: top-1 / answered @ precision`);
  const rules: Array<{ name: string; choose: (m: ModelView, r: (typeof retrieved)[number]) => Decision }> = [
    { name: 'retrieval', choose: (_m, r) => fromRetrieval(r) },
    ...TAKEOVERS.flatMap((t) => [
      { name: `takeover ≥ ${t}`, choose: (m: ModelView, r: (typeof retrieved)[number]) => (m.taught && m.confidence >= t ? fromModel(m) : fromRetrieval(r)) },
      {
        name: `takeover ≥ ${t}, unless retrieval answers`,
        choose: (m: ModelView, r: (typeof retrieved)[number]) => (m.taught && (m.confidence >= t || r.confidence < RETRIEVAL_BAR) ? fromModel(m) : fromRetrieval(r)),
      },
    ]),
    { name: 'model', choose: (m) => fromModel(m) },
    {
      name: 'takeover ≥ 0.5, unless retrieval answers; agreeing votes combine',
      choose: (m, r) => {
        const chosen = m.taught && (m.confidence >= 0.5 || r.confidence < RETRIEVAL_BAR) ? fromModel(m) : fromRetrieval(r);
        const agree = chosen.scale === 'intent' && r.ranked[0]?.itemId === m.label;
        return agree ? { ...chosen, confidence: 1 - (1 - m.confidence) * (1 - r.confidence) } : chosen;
      },
    },
  ];
  console.log(`checkpoint | ${rules.map((r) => r.name).join(' | ')}`);
  let taught = 0;
  for (const fraction of DEFAULT_CHECKPOINTS) {
    const mark = Math.round(fraction * stream.length);
    for (; taught < mark; taught++) model.learn(stream[taught]!.text, `${stream[taught]!.label}#learned`);
    const views = dev.map((q) => modelView(model, q.text));
    const cells = rules.map((rule) => {
      const decisions = dev.map((q, i) => ({ decision: rule.choose(views[i]!, retrieved[i]!), label: q.label }));
      const right = decisions.filter((d) => d.decision.label === d.label).length;
      const answered = decisions.filter((d) => d.decision.label !== null && d.decision.confidence >= (d.decision.scale === 'intent' ? INTENT_BAR : RETRIEVAL_BAR));
      const answeredRight = answered.filter((d) => d.decision.label === d.label).length;
      return `${pct(right / dev.length)} / ${pct(answered.length / dev.length)} @ ${answered.length ? pct(answeredRight / answered.length) : '—'}`;
    });
    console.log(`${pct(fraction).padStart(6)} | ${cells.join(' | ')}`);
  }
}

interface ModelView {
  label: string | null;
  taught: boolean;
  confidence: number;
}

function modelView(model: ReplayingModel, text: string): ModelView {
  const ranked = model.rank(text);
  const first = ranked[0];
  if (!first) return { label: null, taught: false, confidence: 0 };
  const second = ranked.find((p) => answerOf(p.itemId) !== answerOf(first.itemId));
  return { label: answerOf(first.itemId), taught: model.taught(first.itemId) > 0, confidence: intentConfidence(first.score, second?.score ?? 0, NO_EVIDENCE) };
}

const fromModel = (m: ModelView): Decision => ({ label: m.label, scale: 'intent', confidence: m.confidence });
const fromRetrieval = (r: { ranked: Array<{ itemId: string }>; confidence: number }): Decision => ({ label: r.ranked[0]?.itemId ?? null, scale: 'retrieval', confidence: r.confidence });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

main();
