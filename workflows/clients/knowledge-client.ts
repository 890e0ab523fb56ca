/** The worker's typed client for the knowledge service's internal endpoint. */
import type { InternalGraphQLClient } from '../../services/shared/internal-client';

const REVIEW_STATUS = `query ReviewStatus($id: ID!) { productChangeReviewStatus(productChangeId: $id) { pendingItemIds } }`;
const CLOSE_REVIEW = `mutation CloseReview($input: CloseProductChangeReviewInput!) { closeProductChangeReview(input: $input) }`;

const LEARN = `mutation Learn($input: LearnFromCorrectionInput!) { learnFromCorrection(input: $input) { outcome knowledgeItem { id } } }`;

const caller = (workspaceId: string) => ({ workspaceId, role: 'system' as const, subject: 'service:worker' });

export interface CorrectionLesson {
  workspaceId: string;
  conversationId: string;
  messageId: string;
  question: string;
  correctedText: string;
  references: string[];
  agent: string;
  idempotencyKey: string;
  correctedItemIds: string[];
  /** The question's language: the learned answer's locale. */
  locale?: string;
}

export class KnowledgeClient {
  constructor(private readonly graphql: InternalGraphQLClient) {}

  async productChangeReviewStatus(workspaceId: string, productChangeId: string): Promise<{ pendingItemIds: string[] }> {
    const data = await this.graphql.request<{ productChangeReviewStatus: { pendingItemIds: string[] } }>(REVIEW_STATUS, { id: productChangeId }, caller(workspaceId));
    return data.productChangeReviewStatus;
  }

  async closeProductChangeReview(workspaceId: string, input: { productChangeId: string; outcome: 'completed' | 'overdue'; pendingItemIds: string[] }): Promise<void> {
    await this.graphql.request(CLOSE_REVIEW, { input }, caller(workspaceId));
  }

  async learnFromCorrection(lesson: CorrectionLesson): Promise<{ knowledgeItemId: string | null; outcome: 'created' | 'variant_added' | 'not_learned' }> {
    const { workspaceId, ...input } = lesson;
    const data = await this.graphql.request<{ learnFromCorrection: { outcome: 'created' | 'variant_added' | 'not_learned'; knowledgeItem: { id: string } | null } }>(
      LEARN,
      { input },
      caller(workspaceId),
    );
    return { knowledgeItemId: data.learnFromCorrection.knowledgeItem?.id ?? null, outcome: data.learnFromCorrection.outcome };
  }
}
