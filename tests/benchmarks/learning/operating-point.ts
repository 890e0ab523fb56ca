/**
 * `npm run bench:operating-point -- --dataset <folder> [--shots N] [--seed S]`
 *
 * Chooses the intent model's untaught bar (UNTAUGHT_INTENT_THRESHOLD, answer-policy.ts) on the dev split only:
 * the model is seeded with the articles and taught the stream (dev split and probes left out) as the live
 * system is, each label's taught questions going to a learned answer of their own (the first correction of a
 * label creates one; later ones add phrasings to it). At the learning benchmark's checkpoints the dev questions
 * are ranked; the model decides only when its best item is one it was taught questions for (else retrieval
 * does: retrieval.service.ts), and each such decision is right when its item is the label's article or learned
 * answer. For every candidate bar it prints the share of dev questions the model would answer and their
 * precision, at every checkpoint. It then does the same for the taught-question scale (TAUGHT_THRESHOLD): the
 * trigram similarity of each dev question to the nearest question taught so far (as Postgres's pg_trgm scores it),
 * for every candidate bar, with the precision of the answers it would add beyond the model's at its untaught bar,
 * and the share of the stream's reworded probes (the learning benchmark's) it would serve. No stack, no test.csv.
 */
import { NO_EVIDENCE, intentConfidence } from '../../../services/knowledge/retrieval/ranking';
import { offlineStreamFromArgs } from './offline-stream';
import { DEFAULT_CHECKPOINTS } from './checkpoints';
import { trigramSimilarity, trigrams } from '../../../services/knowledge/retrieval/trigram';
import { DEFAULT_THRESHOLD, TAUGHT_THRESHOLD } from '../../../services/knowledge/learning/answer-policy';

const BARS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
/** Candidate bars for the taught-question scale (trigram similarity to the nearest question agents taught). */
const TAUGHT_BARS = [0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9];
/** Candidate leads of the nearest taught question over the nearest taught for another answer. */
const TAUGHT_LEADS = [0, 0.1, 0.2];
const learnedOf = (label: string) => `${label}#learned`;


function main(): void {
  const { dev, stream, model, name } = offlineStreamFromArgs('bench:operating-point');
  console.log(`${name}: stream ${stream.length}, dev ${dev.length} (dev split only)`);
  console.log(`checkpoint | model decides | ${BARS.map((b) => `bar ${b}: answered / precision`).join(' | ')}`);
  let taught = 0;
  const worst = new Map<number, number>(BARS.map((b) => [b, 1]));
  const taughtQuestions: Array<{ label: string; grams: Set<string> }> = [];
  const devGrams = dev.map((q) => trigrams(q.text));
  const taughtWorst = new Map<string, number>();
  const taughtLast = new Map<string, string>();
  for (const fraction of DEFAULT_CHECKPOINTS) {
    const mark = Math.round(fraction * stream.length);
    for (; taught < mark; taught++) {
      model.learn(stream[taught]!.text, learnedOf(stream[taught]!.label));
      taughtQuestions.push({ label: stream[taught]!.label, grams: trigrams(stream[taught]!.text) });
    }
    const intentAnswers = (text: string) => {
      const ranked = model.rank(text);
      const first = ranked[0];
      if (!first || model.taught(first.itemId) === 0) return false;
      const answerOf = (itemId: string) => itemId.replace(/#learned$/, '');
      const second = ranked.find((p) => answerOf(p.itemId) !== answerOf(first.itemId));
      return intentConfidence(first.score, second?.score ?? 0, NO_EVIDENCE) >= DEFAULT_THRESHOLD;
    };
    // The taught-question scale: the nearest question agents taught (trigram similarity, as Postgres scores it),
    // its lead over the nearest taught for another answer, and whether the model already answers at its bar.
    const nearest = devGrams.map((grams, i) => ({ ...nearestTaught(grams, taughtQuestions, dev[i]!.label), modelAnswers: intentAnswers(dev[i]!.text) }));
    for (const bar of TAUGHT_BARS) {
      for (const lead of TAUGHT_LEADS) {
        const key = `${bar}/${lead}`;
        const answered = nearest.filter((n) => n.similarity >= bar && n.lead >= lead);
        const extra = answered.filter((n) => !n.modelAnswers);
        const precision = answered.length ? answered.filter((n) => n.correct).length / answered.length : null;
        if (precision !== null && answered.length >= dev.length / 100) taughtWorst.set(key, Math.min(taughtWorst.get(key) ?? 1, precision));
        const extraPrecision = extra.length ? extra.filter((n) => n.correct).length / extra.length : null;
        if (extraPrecision !== null && extra.length >= dev.length / 100) taughtWorst.set(`${key} extra`, Math.min(taughtWorst.get(`${key} extra`) ?? 1, extraPrecision));
        taughtLast.set(key, `${pct(answered.length / dev.length)} @ ${precision === null ? '—' : pct(precision)}; beyond the model: ${pct(extra.length / dev.length)} @ ${extraPrecision === null ? '—' : pct(extraPrecision)}`);
      }
    }
    const decisions = dev.flatMap((q) => {
      const ranked = model.rank(q.text);
      const first = ranked[0];
      if (!first || model.taught(first.itemId) === 0) return [];
      // The runner-up is the best item with a different answer: a label's article and its learned answer (which
      // carries the article's text here, as the harness's corrections do) are the same answer, not rivals.
      const answerOf = (itemId: string) => itemId.replace(/#learned$/, '');
      const second = ranked.find((p) => answerOf(p.itemId) !== answerOf(first.itemId));
      const correct = answerOf(first.itemId) === q.label;
      return [{ correct, confidence: intentConfidence(first.score, second?.score ?? 0, NO_EVIDENCE) }];
    });
    const cells = BARS.map((bar) => {
      const answered = decisions.filter((d) => d.confidence >= bar);
      const precision = answered.length ? answered.filter((d) => d.correct).length / answered.length : null;
      // Checkpoints where fewer than 1% of dev questions are answered at the bar say little about its precision.
      if (precision !== null && answered.length >= dev.length / 100) worst.set(bar, Math.min(worst.get(bar)!, precision));
      return `${pct(answered.length / dev.length)} / ${precision === null ? '—' : pct(precision)}`;
    });
    console.log(`${pct(fraction).padStart(6)} | ${pct(decisions.length / dev.length)} | ${cells.join(' | ')}`);
  }
  console.log(`worst precision over the checkpoints: ${BARS.map((b) => `${b}: ${pct(worst.get(b)!)}`).join(', ')}`);
  // The reworded probe of the learning benchmark, for every question of the stream against what was taught.
  const probes = stream.slice(0, 2000).map((q) => nearestTaught(trigrams(rewordedProbe(q.text)), taughtQuestions, q.label));
  console.log(`taught-question scale (similarity bar / lead; the system's untaught bar is ${TAUGHT_THRESHOLD}): at the end of the stream, dev answered @ precision; worst precision over the checkpoints (all / beyond the model); reworded probes served`);
  for (const bar of TAUGHT_BARS) {
    for (const lead of TAUGHT_LEADS) {
      const key = `${bar}/${lead}`;
      const served = probes.filter((n) => n.similarity >= bar && n.lead >= lead);
      const worstOf = (k: string) => (taughtWorst.has(k) ? pct(taughtWorst.get(k)!) : '—');
      console.log(`  ${key}: ${taughtLast.get(key)}; worst ${worstOf(key)} / ${worstOf(`${key} extra`)}; probes ${pct(served.length / probes.length)} @ ${pct(served.filter((n) => n.correct).length / Math.max(1, served.length))}`);
    }
  }
}

/** The nearest taught question's similarity, its lead over the nearest taught for another label, and whether its label is right. */
function nearestTaught(grams: Set<string>, taught: ReadonlyArray<{ label: string; grams: Set<string> }>, label: string): { similarity: number; lead: number; correct: boolean } {
  const best = new Map<string, number>();
  for (const t of taught) {
    const similarity = trigramSimilarity(grams, t.grams);
    if (similarity > (best.get(t.label) ?? 0)) best.set(t.label, similarity);
  }
  const ranked = [...best].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first) return { similarity: 0, lead: 0, correct: false };
  return { similarity: first[1], lead: first[1] - (second?.[1] ?? 0), correct: first[0] === label };
}

/** The learning benchmark's reworded probe (harness.ts): lower case, no punctuation, a greeting in front. */
const rewordedProbe = (question: string) => `hi, ${question.toLowerCase().replace(/[^\p{L}\p{N}\s']/gu, ' ').replace(/\s+/g, ' ').trim()}`;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

main();
