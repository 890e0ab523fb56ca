/** Finds the knowledge that may answer a question, ranks it with outcome evidence, and says how sure it is. */
import type { DataSource } from 'typeorm';
import type { AnswerPolicyService } from '../learning/answer-policy.service';
import { confidenceOf, itemScore } from './ranking';
import { FIRST_PASSAGES_SQL, RETRIEVE_CANDIDATES_SQL } from './retrieval.queries';

export interface Candidate {
  knowledgeItemId: string;
  kind: string;
  title: string;
  topic: string;
  itemVersion: number;
  stale: boolean;
  passageId: string;
  passageText: string;
  matchedQuestion: string | null;
  score: number;
}

export interface Retrieval {
  candidates: Candidate[];
  topic: string;
  confidence: number;
  threshold: number;
}

interface Row {
  knowledgeItemId: string;
  kind: string;
  title: string;
  topic: string;
  itemVersion: number;
  stale: boolean;
  body: string;
  passageId: string | null;
  passageText: string | null;
  passageRelevance: number;
  matchedQuestion: string | null;
  variantRelevance: number;
  good: number;
  bad: number;
}

const CANDIDATES_PER_KIND = 30;

export class RetrievalService {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AnswerPolicyService,
  ) {}

  async retrieve(workspaceId: string, question: string, plan: string, limit: number, segments: string[] = []): Promise<Retrieval> {
    const rows: Row[] = await this.db.query(RETRIEVE_CANDIDATES_SQL, [workspaceId, question, plan, CANDIDATES_PER_KIND, segments]);
    const missing = rows.filter((r) => !r.passageId).map((r) => r.knowledgeItemId);
    const firstPassages = new Map<string, { passageId: string; text: string }>();
    if (missing.length > 0) {
      const found: Array<{ itemId: string; passageId: string; text: string }> = await this.db.query(FIRST_PASSAGES_SQL, [missing]);
      for (const p of found) firstPassages.set(p.itemId, p);
    }
    const candidates = rows
      .map((row) => {
        const passage = row.passageId ? { passageId: row.passageId, text: row.passageText ?? '' } : firstPassages.get(row.knowledgeItemId);
        return {
          knowledgeItemId: row.knowledgeItemId,
          kind: row.kind,
          title: row.title,
          topic: row.topic,
          itemVersion: row.itemVersion,
          stale: row.stale,
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
      })
      .filter((c) => c.passageId !== '')
      .sort((a, b) => b.score - a.score || a.knowledgeItemId.localeCompare(b.knowledgeItemId))
      .slice(0, limit);
    const best = candidates[0];
    const topic = best?.topic ?? '';
    const confidence = best ? confidenceOf(best.score, candidates[1]?.score ?? 0) : 0;
    const threshold = await this.policy.thresholdFor(workspaceId, topic);
    return { candidates, topic, confidence, threshold };
  }
}
