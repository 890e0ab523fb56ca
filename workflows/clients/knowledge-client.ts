/** The worker's typed client for the knowledge service's internal endpoint. */
import type { CorrectionToLearn, LearnOutcome } from '../../services/knowledge/contracts';
import type { InternalGraphQLClient } from '../../services/shared/internal-client';

const REVIEW_STATUS = `query ReviewStatus($id: ID!) { productChangeReviewStatus(productChangeId: $id) { pendingItemIds } }`;
const CLOSE_REVIEW = `mutation CloseReview($input: CloseProductChangeReviewInput!) { closeProductChangeReview(input: $input) }`;

const LEARN = `mutation Learn($input: LearnFromCorrectionInput!) { learnFromCorrection(input: $input) { outcome knowledgeItem { id } } }`;

const caller = (workspaceId: string) => ({ workspaceId, role: 'system' as const, subject: 'service:worker' });

/** A correction for knowledge to learn, in the workspace it belongs to. */
export interface CorrectionLesson extends CorrectionToLearn {
  workspaceId: string;
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

  async learnFromCorrection(lesson: CorrectionLesson): Promise<{ knowledgeItemId: string | null; outcome: LearnOutcome }> {
    const { workspaceId, ...input } = lesson;
    const data = await this.graphql.request<{ learnFromCorrection: { outcome: LearnOutcome; knowledgeItem: { id: string } | null } }>(
      LEARN,
      { input },
      caller(workspaceId),
    );
    return { knowledgeItemId: data.learnFromCorrection.knowledgeItem?.id ?? null, outcome: data.learnFromCorrection.outcome };
  }
}
