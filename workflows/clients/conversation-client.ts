/** The worker's typed client for the conversation service's internal endpoint. */
import type { InternalGraphQLClient } from '../../services/shared/internal-client';

const DELIVER = `mutation Deliver($input: DeliverCorrectionInput!) { deliverCorrection(input: $input) { agentMessageId } }`;
const STEP = `mutation Step($input: RecordEscalationStepInput!) { recordEscalationStep(input: $input) }`;

const RELEASE = `mutation Release($input: ReleaseClaimInput!) { releaseClaimAfterBreach(input: $input) }`;

const caller = (workspaceId: string) => ({ workspaceId, role: 'system' as const, subject: 'service:worker' });

export interface DeliveryRequest {
  workspaceId: string;
  messageId: string;
  correctedText: string;
  knowledgeItemIds: string[];
  learnedAnswerId: string | null;
  agent: string;
}

export interface EscalationStep {
  workspaceId: string;
  conversationId: string;
  kind: 'offered' | 'reminded' | 'reassigned' | 'escalated_to_backup' | 'resolved' | 'reopened';
  stepKey: string;
  detail: Record<string, unknown>;
}

export class ConversationClient {
  constructor(private readonly graphql: InternalGraphQLClient) {}

  async deliverCorrection(request: DeliveryRequest): Promise<{ agentMessageId: string }> {
    const input = {
      messageId: request.messageId,
      correctedText: request.correctedText,
      knowledgeItemIds: request.knowledgeItemIds,
      learnedAnswerId: request.learnedAnswerId,
      agent: request.agent,
    };
    const data = await this.graphql.request<{ deliverCorrection: { agentMessageId: string } }>(DELIVER, { input }, caller(request.workspaceId));
    return data.deliverCorrection;
  }

  async releaseClaimAfterBreach(request: { workspaceId: string; conversationId: string; from: string }): Promise<boolean> {
    const data = await this.graphql.request<{ releaseClaimAfterBreach: boolean }>(RELEASE, { input: { conversationId: request.conversationId, from: request.from } }, caller(request.workspaceId));
    return data.releaseClaimAfterBreach;
  }

  async recordEscalationStep(step: EscalationStep): Promise<void> {
    const input = { conversationId: step.conversationId, kind: step.kind, stepKey: step.stepKey, detail: step.detail };
    await this.graphql.request(STEP, { input }, caller(step.workspaceId));
  }
}
