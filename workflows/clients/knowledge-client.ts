/** The worker's typed client for the knowledge service's internal endpoint. */
import type { InternalGraphQLClient } from '../../services/shared/internal-client';

const LEARN = `mutation Learn($input: LearnFromCorrectionInput!) { learnFromCorrection(input: $input) { outcome knowledgeItem { id } } }`;

export interface CorrectionLesson {
  workspaceId: string;
  conversationId: string;
  messageId: string;
  question: string;
  correctedText: string;
  references: string[];
  agent: string;
  idempotencyKey: string;
}

export class KnowledgeClient {
  constructor(private readonly graphql: InternalGraphQLClient) {}

  async learnFromCorrection(lesson: CorrectionLesson): Promise<{ knowledgeItemId: string; outcome: 'created' | 'variant_added' }> {
    const { workspaceId, ...input } = lesson;
    const data = await this.graphql.request<{ learnFromCorrection: { outcome: 'created' | 'variant_added'; knowledgeItem: { id: string } } }>(
      LEARN,
      { input },
      { workspaceId, role: 'system', subject: 'service:worker' },
    );
    return { knowledgeItemId: data.learnFromCorrection.knowledgeItem.id, outcome: data.learnFromCorrection.outcome };
  }
}
