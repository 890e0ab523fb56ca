/** Typed client for the knowledge subgraph's internal endpoint. */
import type { CorrectionToLearn, LearnOutcome, RetrievalCandidate } from '../../knowledge/contracts';
import { InternalGraphQLClient } from '../../shared/internal-client';

export type { RetrievalCandidate };

/** Who asks, as retrieval needs it: who may see what (plan, segments), and where they ask from (page areas, context buckets). */
export interface Audience {
  plan: string | null;
  segments: string[];
  /** The product areas of the page asked from. */
  pageAreas?: string[];
  /** The asker's context buckets (services/shared/asker-buckets.ts). */
  context?: string[];
}

export interface Retrieval {
  candidates: RetrievalCandidate[];
  topic: string;
  confidence: number;
  threshold: number;
  /** The best item is sensitive: `threshold` is the workspace's sensitive bar. */
  sensitive: boolean;
  /** The locales the workspace has published knowledge in, most items first (absent: not asked for). */
  locales?: string[];
  /** Whose confidence it is (retrieval, intent): an outcome of the turn calibrates that scale's threshold. */
  scale: string;
}

export type OutcomeSignal = 'shown' | 'resolved' | 'rated_up' | 'rated_down' | 'escalated' | 'corrected' | 'repeat_contact' | 'dropped_off' | 'handoff_reviewed';

/** Who gave an outcome signal; knowledge weighs customers' signals by it (see learning-trust.ts there). */
export interface OutcomeSource {
  kind: 'customer' | 'visitor' | 'agent';
  /** The customer id, the anonymous visitor's conversation id, or the agent's key subject. */
  id: string;
}

export interface Outcome {
  knowledgeItemId: string | null;
  topic: string;
  confidence: number;
  signal: OutcomeSignal;
  correct: boolean | null;
  source: OutcomeSource;
  /** The question, when the signal confirms the answer (the item learns it as a phrasing it answers). */
  confirmedQuestion?: string | null;
  /** The turn's confidence scale, as retrieval said (null for turns from before scales were recorded). */
  scale?: string | null;
  /** For `resolved`: seconds from the answer to the resolution. */
  secondsToResolution?: number | null;
  /** The context buckets the turn was answered in: the verdict counts in them too. */
  context?: string[];
  /** Names the signal (the turn and the signal): knowledge takes it once however often it is sent. */
  idempotencyKey: string;
}

export interface LearnedAnswer {
  /** Null when nothing was learned (learning is frozen in the workspace). */
  knowledgeItem: { id: string; title: string; status: string } | null;
  outcome: LearnOutcome;
  learningEventId: string | null;
}

const RETRIEVE = `query Retrieve($input: RetrieveForQuestionInput!) {
  retrieveForQuestion(input: $input) {
    topic confidence threshold sensitive locales scale
    candidates { knowledgeItemId kind title topic itemVersion stale sensitive passageId passageText matchedQuestion score }
  }
}`;

const RECORD_OUTCOME = `mutation RecordOutcome($input: RecordOutcomeInput!) { recordOutcome(input: $input) }`;

const LEARN = `mutation Learn($input: LearnFromCorrectionInput!) {
  learnFromCorrection(input: $input) { outcome learningEventId knowledgeItem { id title status } }
}`;

const caller = (workspaceId: string) => ({ workspaceId, role: 'system' as const, subject: 'service:conversation' });

export class KnowledgeClient {
  constructor(private readonly graphql: InternalGraphQLClient) {}

  /** `locale`: only knowledge written in that language; omitted, any. */
  async retrieve(workspaceId: string, text: string, audience: Audience, limit: number, locale?: string): Promise<Retrieval> {
    const input = { text, plan: audience.plan ?? undefined, segments: audience.segments, pageAreas: audience.pageAreas ?? [], context: audience.context ?? [], limit, locale };
    const data = await this.graphql.request<{ retrieveForQuestion: Retrieval }>(RETRIEVE, { input }, caller(workspaceId));
    return data.retrieveForQuestion;
  }

  async recordOutcome(workspaceId: string, outcome: Outcome): Promise<void> {
    const { source, ...rest } = outcome;
    const input = {
      ...rest,
      knowledgeItemId: outcome.knowledgeItemId ?? undefined,
      correct: outcome.correct ?? undefined,
      confirmedQuestion: outcome.confirmedQuestion ?? undefined,
      scale: outcome.scale ?? undefined,
      secondsToResolution: outcome.secondsToResolution ?? undefined,
      source: source.kind,
      sourceId: source.id,
    };
    // Keyed, so a resend (a retry after a lost reply) is taken once.
    await this.graphql.request(RECORD_OUTCOME, { input }, caller(workspaceId), { idempotent: true });
  }

  async learnFromCorrection(workspaceId: string, correction: CorrectionToLearn): Promise<LearnedAnswer> {
    const data = await this.graphql.request<{ learnFromCorrection: LearnedAnswer }>(LEARN, { input: correction }, caller(workspaceId), { idempotent: true });
    return data.learnFromCorrection;
  }
}
