/**
 * Ranking and confidence, as pure functions. A passage's relevance is BM25 over the question's terms with the
 * article's title as a second, boosted field (BM25F: the title's term frequencies are added, weighted, before
 * saturation), plus the title's trigram similarity to the question, as a share of the most the question could
 * score. An item's relevance is the better of its passage match and its learned-question match; outcome evidence
 * scales it (items that keep failing sink, items that keep resolving rise); stale items are discounted.
 * Confidence grows with the winner's lead over the runner-up.
 */

/**
 * BM25F constants, chosen on the dev splits of banking77 and bitext (`npm run bench:day-one`, never test.csv):
 * a high k1 (term frequency saturates late: short help articles repeat their key terms), the usual b, and a
 * title worth five body occurrences of a term. The title's trigram similarity (up to 1) counts like a term
 * worth `titleSimilarity` idf-weighted points, which catches "top-up" against "top up" and plurals the stemmer
 * leaves apart.
 */
const BM25 = { k1: 5, b: 0.75, titleWeight: 5, titleSimilarity: 5 } as const;

export interface PassageTerms {
  /** Occurrences of each question term (in the query's term order) in the passage. */
  passageTf: readonly number[];
  /** The same for the item's title (zeros for items that have no title field: learned answers). */
  titleTf: readonly number[];
  /** Distinct lexemes in the passage. */
  passageLength: number;
  /** pg_trgm similarity of the title to the question, 0..1. */
  titleSimilarity: number;
}

export interface CorpusTerms {
  /** Passages of the workspace holding each question term (same order). */
  termPassages: readonly number[];
  totalPassages: number;
  /** Summed passage lengths (distinct lexemes each). */
  totalLength: number;
}

function inverseDocumentFrequency(passagesWithTerm: number, totalPassages: number): number {
  return Math.log(1 + (totalPassages - passagesWithTerm + 0.5) / (passagesWithTerm + 0.5));
}

/**
 * BM25F's parts, for a ranker that scores a term at a time over posting lists (passage-index.ts) with the same
 * arithmetic as passageRelevance: each term's idf, a passage's length normaliser, one term's saturated score, and
 * the most a question could score.
 */
export const bm25f = {
  idf(passagesWithTerm: number, totalPassages: number): number {
    return inverseDocumentFrequency(Math.min(passagesWithTerm, totalPassages), totalPassages);
  },
  averageLength(corpus: Pick<CorpusTerms, 'totalPassages' | 'totalLength'>, passageLength: number): number {
    return corpus.totalPassages > 0 ? Math.max(1, corpus.totalLength / corpus.totalPassages) : Math.max(1, passageLength);
  },
  lengthNorm(passageLength: number, averageLength: number): number {
    return 1 - BM25.b + (BM25.b * passageLength) / averageLength;
  },
  /** A term's score from its occurrences in the passage (already length-normalised) and in the title. */
  term(idf: number, passageTf: number, titleTf: number): number {
    const tf = passageTf + BM25.titleWeight * titleTf;
    return tf > 0 ? (idf * tf * (BM25.k1 + 1)) / (tf + BM25.k1) : 0;
  },
  /** The most a question of these terms' idfs could score from its terms alone (0: nothing to score). */
  mostFromTerms(idfs: readonly number[]): number {
    return idfs.reduce((sum, idf) => sum + idf * (BM25.k1 + 1), 0);
  },
  /** What a title's trigram similarity of 1 adds to the terms' score. */
  titleSimilarityWorth: BM25.titleSimilarity,
  /** The share of the most: the terms' score plus the title's trigram similarity, worth BM25.titleSimilarity. */
  share(termScore: number, mostFromTerms: number, titleSimilarity: number): number {
    if (mostFromTerms === 0) return 0;
    return Math.min(1, (termScore + BM25.titleSimilarity * titleSimilarity) / (mostFromTerms + BM25.titleSimilarity));
  },
};

/**
 * BM25F relevance of a passage as a share (0..1) of the most this question could score: the same question
 * then means the same thing in a workspace of 20 articles and one of 20,000, and scores compare with the
 * learned-question match, which is also 0..1.
 */
export function passageRelevance(passage: PassageTerms, corpus: CorpusTerms): number {
  const norm = bm25f.lengthNorm(passage.passageLength, bm25f.averageLength(corpus, passage.passageLength));
  const idfs = corpus.termPassages.map((df) => bm25f.idf(df, corpus.totalPassages));
  let score = 0;
  idfs.forEach((idf, t) => (score += bm25f.term(idf, (passage.passageTf[t] ?? 0) / norm, passage.titleTf[t] ?? 0)));
  return bm25f.share(score, bm25f.mostFromTerms(idfs), passage.titleSimilarity);
}

/** Good and bad evidence: an item's own, or the part of it given in the asker's context buckets. */
export interface Evidence {
  good: number;
  bad: number;
}

export const NO_EVIDENCE: Evidence = Object.freeze({ good: 0, bad: 0 });

export interface CandidateEvidence extends Evidence {
  passageRelevance: number;
  variantRelevance: number;
  stale: boolean;
  /** The item's evidence in the asker's context (absent: none, or context learning is off). */
  context?: Evidence;
}

/**
 * How many verdicts' worth the item's overall record counts for in a context: a context's own verdicts outweigh it
 * only once there are more than this many. Empirical-Bayes shrinkage with a fixed prior strength: for an item with
 * 20 good verdicts elsewhere, one bad verdict in a bucket takes 12% off its factor there and five take 34% (1.28 to
 * 0.84). Chosen by reasoning about how fast one bad context should show, then checked on `npm run bench:context`
 * (README); not tuned on any test split.
 */
const CONTEXT_PRIOR_VERDICTS = 4;

/** The posterior mean of "this item helps": Beta(1,1) over its own evidence. */
const overallRate = (own: Evidence) => (own.good + 1) / (own.good + own.bad + 2);

/**
 * How the asker's context changes an item's standing: the context's verdicts as a rate shrunk toward the item's
 * overall posterior (CONTEXT_PRIOR_VERDICTS strong), over what the same estimator gives for as many verdicts at the
 * item's own raw rate. A context where the item fares as it does everywhere lifts nothing, however many verdicts it
 * holds (the verdicts in the asker's buckets are the item's own ones again, counted once per bucket: compared with
 * the item's posterior instead, they would only sharpen its overall evidence, and on the context benchmark's dev
 * split the labels without versions lost 0.8 to 1.9 points). One that keeps failing lifts below 1, toward 1/3.
 */
export function contextLift(own: Evidence, context?: Evidence): number {
  const verdicts = context ? context.good + context.bad : 0;
  if (!context || verdicts <= 0) return 1;
  const prior = overallRate(own);
  const ownVerdicts = own.good + own.bad;
  const ownRaw = ownVerdicts > 0 ? own.good / ownVerdicts : prior;
  const observed = 0.5 + (context.good + CONTEXT_PRIOR_VERDICTS * prior) / (verdicts + CONTEXT_PRIOR_VERDICTS);
  const expected = 0.5 + (verdicts * ownRaw + CONTEXT_PRIOR_VERDICTS * prior) / (verdicts + CONTEXT_PRIOR_VERDICTS);
  return observed / expected;
}

/**
 * The item's evidence as a factor in [0.5, 1.5]: 0.5 + its overall posterior, times its lift in the asker's context
 * (exactly the overall factor where the context has no evidence or fares like everywhere else).
 */
function evidenceFactor(own: Evidence, context?: Evidence): number {
  return Math.min(1.5, Math.max(0.5, (0.5 + overallRate(own)) * contextLift(own, context)));
}

export const STALE_DISCOUNT = 0.5;

export function itemScore(candidate: CandidateEvidence): number {
  const relevance = Math.min(1, Math.max(candidate.passageRelevance, candidate.variantRelevance * 1.1));
  const score = relevance * evidenceFactor(candidate, candidate.context) * (candidate.stale ? STALE_DISCOUNT : 1);
  return Math.min(1, score);
}

/**
 * How far the winner leads, in shares of the question's full evidence, mapped to 0..1 the way the intent model's
 * margin is: 1 − e^(−scale × lead). The lead, not the score, because a question worded like several articles
 * matches them all well; and a share of the question, not raw BM25, so it means the same across workspaces of
 * any size. The scale is dev-chosen, with DAY_ONE_THRESHOLD (answer-policy.ts) as the bar it pairs with.
 */
const LEAD_SCALE = 10;

export function confidenceOf(best: number, runnerUp: number): number {
  if (best <= 0) return 0;
  return 1 - Math.exp(-LEAD_SCALE * Math.max(0, best - runnerUp));
}

/**
 * Confidence of the intent model's choice, from its margin over the runner-up (the model is trained to separate
 * the right item by 1): 1 − e^(−margin × evidence), where evidence scales it by the item's outcomes like retrieval
 * scores are (an item that keeps failing loses confidence; one that keeps resolving gains). Smooth and never
 * capped, so answers keep their order all the way up: a cap would tie every clear case at 1, and a threshold
 * could then not tell the surest answers from merely sure ones. In a context, the evidence is the context's.
 */
export function intentConfidence(best: number, runnerUp: number, own: Evidence, context?: Evidence): number {
  const margin = Math.max(0, best - runnerUp);
  return 1 - Math.exp(-margin * (evidenceFactor(own, context) / 1.5 + 1 / 3));
}
