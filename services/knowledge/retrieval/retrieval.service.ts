/** Finds the knowledge that may answer a question, ranks it with outcome evidence, and says how sure it is. */
import type { DataSource } from 'typeorm';
import type { RetrievalCandidate as Candidate } from '../contracts';
import type { IntentModels, IntentVerdict } from '../intent/intent-models';
import type { ConfidenceScale } from '../learning/answer-policy';
import type { AnswerPolicyService } from '../learning/answer-policy.service';
import type { SettingsService } from '../learning/settings.service';
import { PassageHit, PassageIndexes, ProbedQuestion } from './passage-index';
import { Evidence, STALE_DISCOUNT, confidenceOf, contextLift, intentConfidence, itemScore } from './ranking';
import {
  ANSWERABLE_ITEMS_SQL,
  FIRST_PASSAGES_SQL,
  INTENT_CANDIDATES_SQL,
  MAX_VARIANTS_MATCHED,
  NEAREST_TAUGHT_AMONG_SQL,
  NEAREST_TAUGHT_SQL,
  PASSAGE_TEXTS_SQL,
  TRIGRAM_FLOOR_SQL,
  VARIANT_MATCHES_SQL,
} from './retrieval.queries';

export interface Retrieval {
  candidates: Candidate[];
  topic: string;
  confidence: number;
  /** The bar the confidence must clear: the topic's, or the workspace's sensitive bar when the best item is sensitive. */
  threshold: number;
  /** The best item is sensitive: its threshold is the sensitive bar. */
  sensitive: boolean;
  /** The locales the workspace has published knowledge in, most items first. */
  locales: string[];
  /** Whose confidence it is: the intent model's (it chose), a taught question's (one this near was taught), or retrieval's. */
  scale: ConfidenceScale;
}

/** Who asks and from where: what decides which knowledge they may be answered from, and the evidence that counts. */
export interface AskedFrom {
  /** The asker's plan ('' = unknown). */
  plan: string;
  /** How many candidates to return. */
  limit: number;
  /** The asker's account segments. */
  segments?: string[];
  /** Only knowledge written in this locale (the asker's language); null or absent for any. */
  locale?: string | null;
  /** The product areas of the page asked from (scoped learned answers are served only there). */
  pageAreas?: string[];
  /** The asker's context buckets (asker-buckets.ts): outcome evidence in them weighs in the choice. */
  contextKeys?: string[];
}

/** One question put to retrieval, with where it was asked from. */
interface Ask {
  workspaceId: string;
  question: string;
  plan: string;
  limit: number;
  segments: string[];
  locale: string | null;
  pageAreas: string[];
  /** Empty when context learning is off in the workspace. */
  contextKeys: string[];
}

interface NearestTaught {
  itemId: string;
  text: string;
  similarity: number;
}

/** A candidate as the SQL gives it: the contract's item fields, with a passage that may not be read yet. */
interface Row extends Pick<Candidate, 'knowledgeItemId' | 'kind' | 'title' | 'topic' | 'itemVersion' | 'stale' | 'sensitive'> {
  passageId: string | null;
  /** Null on the rows retrieval scores (their digest stands in until the chosen few are read). */
  passageText: string | null;
  /** md5 of the passage's text: two items citing the same text give the same answer. */
  passageDigest: string | null;
  passageRelevance: number;
  matchedQuestion: string | null;
  variantRelevance: number;
  good: number;
  bad: number;
  /** Evidence given in the asker's context buckets. */
  contextGood: number;
  contextBad: number;
}

/** An item as ANSWERABLE_ITEMS_SQL gives it (eligible for the asker), before its passage and question match join it. */
type AnswerableRow = Omit<Row, 'passageId' | 'passageText' | 'passageDigest' | 'passageRelevance' | 'matchedQuestion' | 'variantRelevance'>;

/** An item's best learned question for the question (VARIANT_MATCHES_SQL). */
interface VariantMatch {
  itemId: string;
  text: string;
  relevance: number;
}

/**
 * One row per item ranked by its passages or matched by a learned question, of those the asker may be answered
 * from: its best passage (none for items found only through a question) with its relevance, and its best question.
 * The fields are copied one by one: V8 builds an object literal that spreads another and adds properties through
 * its slow path, about a microsecond per property per row, which made this 8% of the knowledge process's CPU per
 * ask (a CPU profile of npm run bench:ask).
 */
function candidateRows(answerable: readonly AnswerableRow[], hits: readonly PassageHit[], variants: readonly VariantMatch[]): Row[] {
  const hitOf = new Map(hits.map((hit) => [hit.itemId, hit]));
  const variantOf = new Map(variants.map((variant) => [variant.itemId, variant]));
  return answerable.map((item) => {
    const hit = hitOf.get(item.knowledgeItemId);
    const variant = variantOf.get(item.knowledgeItemId);
    return {
      knowledgeItemId: item.knowledgeItemId,
      kind: item.kind,
      title: item.title,
      topic: item.topic,
      itemVersion: item.itemVersion,
      stale: item.stale,
      sensitive: item.sensitive,
      good: item.good,
      bad: item.bad,
      contextGood: item.contextGood,
      contextBad: item.contextBad,
      passageId: hit?.passage.id ?? null,
      passageText: null,
      passageDigest: hit?.passage.digest ?? null,
      passageRelevance: hit?.relevance ?? 0,
      matchedQuestion: variant?.text ?? null,
      variantRelevance: variant ? Number(variant.relevance) : 0,
    };
  });
}

const CANDIDATES_PER_KIND = 30;
/**
 * Items the passage index puts forward per question (each by its best passage) before the asker's eligibility and
 * outcome evidence weigh in. Evidence moves a score by at most a factor of three, and the Postgres ranking this
 * replaced looked at about as many items (its 200 best passages).
 */
const PASSAGE_ITEMS = 100;
/** Items of the intent model's ranking looked at (the best eligible one usually comes first). */
const INTENT_CANDIDATES = 8;
/**
 * The intent model's confidence from which it, not retrieval, chooses (for items it was taught questions for).
 * Dev-chosen (`npm run bench:operating-point`, dev split of train.csv): the lowest bar of 0.1 steps at which the
 * model's choices were right at least 3 times in 4 at every checkpoint of banking77 and bitext, full stream and
 * few-shot; retrieval's day-one top-1 on the same dev split is 53–54%. Below it, retrieval's choice stands.
 */
export const INTENT_TAKES_OVER = 0.5;
/**
 * How much the asker's context moves the intent model's ranking: ln(context lift) (ranking.ts contextLift, 1/3 to 3)
 * is added to an item's score, whose margins the model trains to 1. An item failing in the context (lift ~0.5) then
 * gives up about 0.7 of a margin there, and nothing moves where the context has no evidence. Set a priori, checked
 * on `npm run bench:context`.
 */
const CONTEXT_RANK_WEIGHT = 1;

export class RetrievalService {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AnswerPolicyService,
    private readonly intents?: IntentModels,
    /** Whether the workspace learns by context; absent, it does (the default setting). */
    private readonly settings?: SettingsService,
    private readonly passages: PassageIndexes = new PassageIndexes(db),
  ) {}

  async retrieve(workspaceId: string, question: string, from: AskedFrom): Promise<Retrieval> {
    const keys = from.contextKeys ?? [];
    // All at once, so the ask waits for one round trip: the model's ranking (in memory; while it speaks, retrieval
    // need not match learned questions, see choose()), whether the workspace learns by context, and the question's
    // probe (its lexemes, the workspace's passage revision and its locales).
    const learnsByContext = keys.length > 0 && this.settings ? this.settings.get(workspaceId).then((settings) => settings.contextLearning) : Promise.resolve(true);
    const [ranked, learns, probe] = await Promise.all([this.intents?.rank(workspaceId, question), learnsByContext, this.passages.probe(workspaceId, question)]);
    const verdict = ranked ?? null;
    const contextKeys = learns ? keys : [];
    const ask: Ask = { workspaceId, question, plan: from.plan, limit: from.limit, segments: from.segments ?? [], locale: from.locale ?? null, pageAreas: from.pageAreas ?? [], contextKeys };
    const rows = await this.candidates(ask, probe, verdict === null);
    const chosen = await this.choose(ask, rows, verdict, probe.locales);
    if (chosen.confidence >= chosen.threshold) return chosen;
    // Neither the model nor retrieval is sure enough alone: a question this near one agents taught is answered from
    // what they taught. Looked up only here, so the questions answered outright pay nothing for it; and not at all
    // while the workspace's loaded model knows no taught question (it hears of those learned here at once, and of
    // other replicas' within its catch-up second).
    if (verdict?.variants === 0) return chosen;
    return (await this.fromTaught(ask, chosen, verdict)) ?? chosen;
  }

  /**
   * The items the question's text finds (ranked by the passage index), and, while the intent model is not loaded
   * (`learnedQuestions`), those its learned questions match, of the items the asker may be answered from.
   */
  private async candidates(ask: Ask, { lexemes, index }: ProbedQuestion, learnedQuestions: boolean): Promise<Row[]> {
    const hits = index.rank(lexemes, ask.question, PASSAGE_ITEMS);
    const variants: VariantMatch[] = learnedQuestions ? await this.db.query(VARIANT_MATCHES_SQL, [ask.workspaceId, ask.question, lexemes, CANDIDATES_PER_KIND]) : [];
    const ids = [...new Set([...hits.map((hit) => hit.itemId), ...variants.map((variant) => variant.itemId)])];
    if (ids.length === 0) return [];
    const answerable: AnswerableRow[] = await this.db.query(ANSWERABLE_ITEMS_SQL, [ask.workspaceId, ids, ask.plan, ask.segments, ask.locale, ask.pageAreas, ask.contextKeys]);
    return candidateRows(answerable, hits, variants);
  }

  /** The items of `ids` the asker may be answered from, each with its passage nearest the question. */
  private eligible(ask: Ask, ids: string[]): Promise<Row[]> {
    return this.db.query(INTENT_CANDIDATES_SQL, [ask.workspaceId, ids, ask.plan, ask.segments, ask.locale, ask.pageAreas, ask.contextKeys, ask.question]);
  }

  /**
   * The taught-question decision: the item whose taught question is nearest the question (Postgres trigram
   * similarity), when no other item's taught question is as near, on its own scale and bar. Null when no
   * question was taught near enough to clear the bar, or the item is not one the asker may be answered from.
   */
  private async fromTaught(ask: Ask, fallback: Retrieval, verdict: IntentVerdict | null): Promise<Retrieval | null> {
    // A taught question less near than the lowest taught bar can answer nothing, nor be a rival to one that can:
    // the search looks only from there (pg_trgm's default 0.3 matched hundreds of questions per ask).
    const floor = await this.policy.lowestThreshold(ask.workspaceId, 'taught');
    const [first, rival] = await this.nearestTaught(ask, floor, verdict);
    if (!first || (rival && rival.similarity >= first.similarity)) return null;
    const [row] = await this.eligible(ask, [first.itemId]);
    if (!row?.passageId) return null;
    const bar = await this.bar(ask, row.topic, 'taught', row.sensitive);
    const confidence = first.similarity * (row.stale ? STALE_DISCOUNT : 1);
    if (confidence < bar.threshold) return null;
    const [taught] = await this.withTexts([{ ...toCandidate({ ...row, variantRelevance: first.similarity, matchedQuestion: first.text }, undefined), score: first.similarity }]);
    if (!taught) return null;
    const candidates = [taught, ...fallback.candidates.filter((c) => c.knowledgeItemId !== taught.knowledgeItemId)].slice(0, ask.limit);
    return { candidates, topic: row.topic, confidence, scale: 'taught', locales: fallback.locales, ...bar };
  }

  /**
   * The two nearest taught questions of different items, as NEAREST_TAUGHT_SQL finds them. With the intent model
   * loaded, its copy of the taught questions (searched in this process) says which are near enough, and Postgres
   * only checks those: none near, no query. Otherwise pg_trgm's index searches them all.
   */
  private async nearestTaught(ask: Ask, floor: number, verdict: IntentVerdict | null): Promise<NearestTaught[]> {
    const params = [ask.workspaceId, ask.question, ask.plan, ask.pageAreas];
    if (verdict) {
      const near = verdict.nearTaught(floor, MAX_VARIANTS_MATCHED);
      return near.length === 0 ? [] : this.db.query(NEAREST_TAUGHT_AMONG_SQL, [...params, near.map((q) => q.variantId), floor]);
    }
    return this.db.transaction(async (tx): Promise<NearestTaught[]> => {
      await tx.query(TRIGRAM_FLOOR_SQL, [floor]);
      return tx.query(NEAREST_TAUGHT_SQL, params);
    });
  }

  /**
   * Who chooses: the intent model when it is sure enough of an item it was taught (INTENT_TAKES_OVER), and also,
   * less sure, when retrieval is under its own bar and the model's choice is not stale (that question is handed off
   * either way, and the model, once taught, is right more often than retrieval on what neither is sure of);
   * otherwise retrieval. When the model chooses the answer retrieval would also give, the two votes combine: its
   * confidence is that either is right, 1 − (1 − model)(1 − retrieval). Both rules were weighed on the dev split
   * (`npm run bench:choice`, README *The answering loop*).
   */
  private async choose(ask: Ask, rows: Row[], verdict: IntentVerdict | null, locales: string[]): Promise<Retrieval> {
    const model = await this.intentChoice(ask, rows, verdict);
    const text = await this.textRanking(rows, verdict);
    // Retrieval's bar is looked up once, and only when a decision needs it.
    let textBarOnce: ReturnType<RetrievalService['bar']> | undefined;
    const textBar = () => (textBarOnce ??= this.bar(ask, text.best?.topic ?? '', 'retrieval', text.best?.sensitive ?? false));
    // A stale choice (content a product change or a later correction has overtaken) does not take over below the bar:
    // handed off either way, the hand-off should carry what retrieval finds in the current text.
    if (model && (model.confidence >= INTENT_TAKES_OVER || (!model.first.stale && text.confidence < (await textBar()).threshold))) {
      const agree = text.best !== undefined && (text.best.knowledgeItemId === model.first.knowledgeItemId || sameAnswer(text.best, model.first));
      return model.decide(locales, agree ? 1 - (1 - model.confidence) * (1 - text.confidence) : model.confidence);
    }
    const candidates = await this.withTexts(text.ranked.slice(0, ask.limit));
    return { candidates, topic: text.best?.topic ?? '', confidence: text.confidence, scale: 'retrieval', locales, ...(await textBar()) };
  }

  /**
   * The model's choice, on its own scale and bar, when its best item (of those the asker may be answered from) is
   * one it was taught questions for (corrections, confirmed phrasings). Null while it loads or when its best item
   * is known only from its article's text. Its candidates are read only if it decides.
   */
  private async intentChoice(
    ask: Ask,
    rows: Row[],
    verdict: IntentVerdict | null,
  ): Promise<{ first: Row; confidence: number; decide: (locales: string[], confidence: number) => Promise<Retrieval> } | null> {
    if (!verdict || verdict.variants === 0 || verdict.ranked.length === 0) return null;
    const intentRows = await this.eligible(ask, verdict.ranked.slice(0, INTENT_CANDIDATES).map((p) => p.itemId));
    // Stale items stay in: when the model's choice is stale, the answer policy hands off instead of answering from it.
    const eligible = new Map(intentRows.filter((row) => row.passageId).map((row) => [row.knowledgeItemId, row]));
    // In the asker's context, items with evidence there move (CONTEXT_RANK_WEIGHT); the rest keep the model's scores.
    const ranked = verdict.ranked
      .filter((p) => eligible.has(p.itemId))
      .map((p) => {
        const row = eligible.get(p.itemId)!;
        const lift = contextLift(ownEvidence(row), contextEvidence(row));
        return lift === 1 ? p : { ...p, score: p.score + CONTEXT_RANK_WEIGHT * Math.log(lift) };
      })
      .sort((a, b) => b.score - a.score);
    const first = ranked[0] && eligible.get(ranked[0].itemId)!;
    if (!first || verdict.taught(first.knowledgeItemId) === 0) return null;
    const rival = ranked.find((p) => !sameAnswer(eligible.get(p.itemId)!, first));
    const confidence = intentConfidence(ranked[0]!.score, rival?.score ?? 0, ownEvidence(first), contextEvidence(first)) * (first.stale ? STALE_DISCOUNT : 1);
    const decide = async (locales: string[], decided: number): Promise<Retrieval> => {
      const chosen = ranked.slice(0, ask.limit).map((p) => ({ ...toCandidate(eligible.get(p.itemId)!, undefined), score: p.score }));
      const others = rows.filter((row) => !eligible.has(row.knowledgeItemId) && row.passageId).map((row) => toCandidate(row, undefined));
      const candidates = await this.withTexts([...chosen, ...others.sort((a, b) => b.score - a.score)].slice(0, ask.limit));
      const bar = await this.bar(ask, first.topic, 'intent', first.sensitive);
      return { candidates, topic: first.topic, confidence: decided, scale: 'intent', locales, ...bar };
    };
    return { first, confidence, decide };
  }

  /** Retrieval's ranking from the knowledge's text (and, while the model loads, its learned questions), and its confidence. */
  private async textRanking(rows: Row[], verdict: IntentVerdict | null): Promise<{ ranked: RankedCandidate[]; best: RankedCandidate | undefined; confidence: number }> {
    const missing = rows.filter((r) => !r.passageId).map((r) => r.knowledgeItemId);
    const firstPassages = new Map<string, FirstPassage>();
    if (missing.length > 0) {
      const found: Array<FirstPassage & { itemId: string }> = await this.db.query(FIRST_PASSAGES_SQL, [missing]);
      for (const p of found) firstPassages.set(p.itemId, p);
    }
    // Learned questions are the intent model's evidence: once it has spoken (even to pass), retrieval chooses from
    // the knowledge's own text, so one learned question cannot pull other needs' questions to its item alone.
    const learnedQuestions = verdict === null;
    const ranked = rows
      .map((row) => toCandidate(row, firstPassages.get(row.knowledgeItemId), learnedQuestions))
      .filter((c) => c.passageId !== '')
      .sort((a, b) => b.score - a.score || a.knowledgeItemId.localeCompare(b.knowledgeItemId));
    const best = ranked[0];
    const rival = best && ranked.find((c) => !sameAnswer(c, best));
    return { ranked, best, confidence: best ? confidenceOf(best.score, rival?.score ?? 0) : 0 };
  }

  /** The candidates returned, with the texts of the passages they cite (scored rows carry only digests). */
  private async withTexts(ranked: RankedCandidate[]): Promise<Candidate[]> {
    const unread = ranked.filter((c) => c.passageText === null).map((c) => c.passageId);
    const texts = new Map<string, string>();
    if (unread.length > 0) {
      const rows: Array<{ id: string; text: string }> = await this.db.query(PASSAGE_TEXTS_SQL, [unread]);
      for (const row of rows) texts.set(row.id, row.text);
    }
    return ranked.map(({ passageDigest: _digest, passageText, ...candidate }) => ({ ...candidate, passageText: passageText ?? texts.get(candidate.passageId) ?? '' }));
  }

  /** The bar for the topic on the scale, in the asker's context (the strictest of their buckets that has its own). */
  private async bar({ workspaceId, contextKeys }: Ask, topic: string, scale: ConfidenceScale, sensitive: boolean): Promise<{ threshold: number; sensitive: boolean }> {
    const threshold = await this.policy.thresholdFor(workspaceId, topic, scale, contextKeys);
    return sensitive ? { threshold: await this.policy.sensitiveThresholdFor(workspaceId, threshold), sensitive } : { threshold, sensitive };
  }
}

/**
 * Two items that would cite the same passage text give the customer the same answer (a learned answer made from
 * an article's text and the article): the runner-up a confidence is measured against is the best item that would
 * say something else, or a correction would halve the confidence of every question it taught.
 */
function sameAnswer(a: { passageDigest: string | null }, b: { passageDigest: string | null }): boolean {
  return a.passageDigest !== null && a.passageDigest === b.passageDigest;
}

interface FirstPassage {
  passageId: string;
  text: string;
  digest: string;
}

/** A candidate while ranking: its passage's text may not be read yet (null), its digest always is. */
interface RankedCandidate extends Omit<Candidate, 'passageText'> {
  passageText: string | null;
  passageDigest: string | null;
}

/** `learnedQuestions` false: the row's learned-question match is left out (the intent model weighs those). */
function toCandidate(row: Row, firstPassage: FirstPassage | undefined, learnedQuestions = true): RankedCandidate {
  const passage = row.passageId ? { passageId: row.passageId, text: row.passageText, digest: row.passageDigest } : firstPassage;
  return {
    knowledgeItemId: row.knowledgeItemId,
    kind: row.kind,
    title: row.title,
    topic: row.topic,
    itemVersion: row.itemVersion,
    stale: row.stale,
    sensitive: row.sensitive,
    passageId: passage?.passageId ?? '',
    passageText: passage?.text ?? null,
    passageDigest: passage?.digest ?? null,
    matchedQuestion: learnedQuestions ? row.matchedQuestion : null,
    score: itemScore({
      passageRelevance: Number(row.passageRelevance),
      variantRelevance: learnedQuestions ? Number(row.variantRelevance) : 0,
      good: Number(row.good),
      bad: Number(row.bad),
      context: contextEvidence(row),
      stale: row.stale,
    }),
  };
}

function ownEvidence(row: Pick<Row, 'good' | 'bad'>): Evidence {
  return { good: Number(row.good), bad: Number(row.bad) };
}

/** The row's evidence in the asker's context; undefined when there is none (the item's own then stands alone). */
function contextEvidence(row: Pick<Row, 'contextGood' | 'contextBad'>): Evidence | undefined {
  const good = Number(row.contextGood ?? 0);
  const bad = Number(row.contextBad ?? 0);
  return good + bad > 0 ? { good, bad } : undefined;
}
