/** Finds the knowledge that may answer a question, ranks it with outcome evidence, and says how sure it is. */
import type { DataSource } from 'typeorm';
import type { IntentModels } from '../intent/intent-models';
import { DAY_ONE_THRESHOLD, DEFAULT_THRESHOLD } from '../learning/answer-policy';
import type { AnswerPolicyService } from '../learning/answer-policy.service';
import { STALE_DISCOUNT, confidenceOf, intentConfidence, itemScore, passageRelevance } from './ranking';
import { FIRST_PASSAGES_SQL, INTENT_CANDIDATES_SQL, PUBLISHED_LOCALES_SQL, RETRIEVE_CANDIDATES_SQL } from './retrieval.queries';

export interface Candidate {
  knowledgeItemId: string;
  kind: string;
  title: string;
  topic: string;
  itemVersion: number;
  stale: boolean;
  /** Marked sensitive (the item or its topic). */
  sensitive: boolean;
  passageId: string;
  passageText: string;
  matchedQuestion: string | null;
  score: number;
}

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
}

interface Row {
  knowledgeItemId: string;
  kind: string;
  title: string;
  topic: string;
  itemVersion: number;
  stale: boolean;
  sensitive: boolean;
  body: string;
  passageId: string | null;
  passageText: string | null;
  passageRelevance: number;
  matchedQuestion: string | null;
  variantRelevance: number;
  good: number;
  bad: number;
}

/** A passage scored by RETRIEVE_CANDIDATES_SQL: the term statistics BM25 needs. */
interface ScoredPassageRow extends Omit<Row, 'passageRelevance'> {
  passageLength: number;
  passageTf: number[];
  titleTf: number[];
  titleSimilarity: number;
  termPassages: number[];
  totalPassages: string | number;
  totalLength: string | number;
}

/** One row per item: its best-scoring passage (BM25F), with its learned-question match. */
function bestPassagePerItem(rows: readonly ScoredPassageRow[]): Row[] {
  const best = new Map<string, Row>();
  for (const row of rows) {
    const relevance = row.passageId
      ? passageRelevance(
          { passageTf: row.passageTf, titleTf: row.titleTf, passageLength: Number(row.passageLength), titleSimilarity: Number(row.titleSimilarity) },
          { termPassages: row.termPassages, totalPassages: Number(row.totalPassages), totalLength: Number(row.totalLength) },
        )
      : 0;
    const current = best.get(row.knowledgeItemId);
    if (current && current.passageRelevance >= relevance) continue;
    const { passageLength: _l, passageTf: _p, titleTf: _t, titleSimilarity: _s, termPassages: _d, totalPassages: _n, totalLength: _a, ...item } = row;
    best.set(row.knowledgeItemId, { ...item, passageRelevance: relevance });
  }
  return [...best.values()];
}

const CANDIDATES_PER_KIND = 30;
/** Items of the intent model's ranking looked at (the best eligible one usually comes first). */
const INTENT_CANDIDATES = 8;

export class RetrievalService {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AnswerPolicyService,
    private readonly intents?: IntentModels,
  ) {}

  /** `locale`: only knowledge written in it (the asker's language); null for any. */
  async retrieve(workspaceId: string, question: string, plan: string, limit: number, segments: string[] = [], locale: string | null = null): Promise<Retrieval> {
    const [scored, verdict, locales] = await Promise.all([
      this.db.query(RETRIEVE_CANDIDATES_SQL, [workspaceId, question, plan, CANDIDATES_PER_KIND, segments, locale]) as Promise<ScoredPassageRow[]>,
      this.intents?.rank(workspaceId, question) ?? null,
      this.db.query(PUBLISHED_LOCALES_SQL, [workspaceId]).then((rows: Array<{ locale: string }>) => rows.map((row) => row.locale)),
    ]);
    const rows = bestPassagePerItem(scored);
    // Once agents have taught it questions, the intent model chooses; before that (or while it loads) retrieval does.
    if (verdict && verdict.variants > 0 && verdict.ranked.length > 0) {
      const intentRows: Row[] = await this.db.query(INTENT_CANDIDATES_SQL, [workspaceId, verdict.ranked.slice(0, INTENT_CANDIDATES).map((p) => p.itemId), plan, segments, question, locale]);
      // Stale items stay in: when the model's choice is stale, the answer policy hands off instead of answering from it.
      const eligible = new Map(intentRows.filter((row) => row.passageId).map((row) => [row.knowledgeItemId, row]));
      const ranked = verdict.ranked.filter((p) => eligible.has(p.itemId));
      if (ranked.length > 0) {
        const chosen = ranked.slice(0, limit).map((p) => ({ ...toCandidate(eligible.get(p.itemId)!, undefined), score: p.score }));
        const others = rows.filter((row) => !eligible.has(row.knowledgeItemId) && row.passageId).map((row) => toCandidate(row, undefined));
        const candidates = [...chosen, ...others.sort((a, b) => b.score - a.score)].slice(0, limit);
        const best = eligible.get(ranked[0]!.itemId)!;
        const topic = best.topic;
        const confidence = intentConfidence(ranked[0]!.score, ranked[1]?.score ?? 0, Number(best.good), Number(best.bad)) * (best.stale ? STALE_DISCOUNT : 1);
        return { candidates, topic, confidence, locales, ...(await this.bar(workspaceId, topic, DEFAULT_THRESHOLD, best.sensitive)) };
      }
    }
    const missing = rows.filter((r) => !r.passageId).map((r) => r.knowledgeItemId);
    const firstPassages = new Map<string, { passageId: string; text: string }>();
    if (missing.length > 0) {
      const found: Array<{ itemId: string; passageId: string; text: string }> = await this.db.query(FIRST_PASSAGES_SQL, [missing]);
      for (const p of found) firstPassages.set(p.itemId, p);
    }
    const candidates = rows
      .map((row) => toCandidate(row, firstPassages.get(row.knowledgeItemId)))
      .filter((c) => c.passageId !== '')
      .sort((a, b) => b.score - a.score || a.knowledgeItemId.localeCompare(b.knowledgeItemId))
      .slice(0, limit);
    const best = candidates[0];
    const topic = best?.topic ?? '';
    const confidence = best ? confidenceOf(best.score, candidates[1]?.score ?? 0) : 0;
    return { candidates, topic, confidence, locales, ...(await this.bar(workspaceId, topic, DAY_ONE_THRESHOLD, best?.sensitive ?? false)) };
  }

  private async bar(workspaceId: string, topic: string, untaught: number, sensitive: boolean): Promise<{ threshold: number; sensitive: boolean }> {
    const threshold = await this.policy.thresholdFor(workspaceId, topic, untaught);
    return sensitive ? { threshold: await this.policy.sensitiveThresholdFor(workspaceId, threshold), sensitive } : { threshold, sensitive };
  }
}

function toCandidate(row: Row, firstPassage: { passageId: string; text: string } | undefined): Candidate {
  const passage = row.passageId ? { passageId: row.passageId, text: row.passageText ?? '' } : firstPassage;
  return {
    knowledgeItemId: row.knowledgeItemId,
    kind: row.kind,
    title: row.title,
    topic: row.topic,
    itemVersion: row.itemVersion,
    stale: row.stale,
    sensitive: row.sensitive,
    passageId: passage?.passageId ?? '',
    passageText: passage?.text ?? row.body,
    matchedQuestion: row.matchedQuestion,
    score: itemScore({
      passageRelevance: Number(row.passageRelevance),
      variantRelevance: Number(row.variantRelevance),
      good: Number(row.good),
      bad: Number(row.bad),
      stale: row.stale,
    }),
  };
}
