/**
 * Activities that call the services: the escalation workflow's, and the product-change review's. Each is idempotent: learning is keyed by the corrected message,
 * delivery by the corrected message (one agent answer per AI turn), steps by a key the workflow derives
 * deterministically — so a retry after a crash never learns twice or tells the customer twice.
 */
import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../../services/shared/errors';
import type { ConversationClient, DeliveryRequest, EscalationStep } from '../clients/conversation-client';
import type { KnowledgeClient } from '../clients/knowledge-client';
import type { CorrectionRequest } from '../escalation-contract';

export interface ServiceActivityDeps {
  conversation: ConversationClient;
  knowledge: KnowledgeClient;
  /** Test aid for crash tests: pause (ms) inside deliverCorrection, after learning and before delivery. */
  pauseBeforeDeliveryMs?: number;
}

/** A correction the escalation workflow took in, with the conversation it was made in. */
export interface LearnRequest extends CorrectionRequest {
  workspaceId: string;
  conversationId: string;
}

/** A peer's typed refusal becomes a failure of that type, which the workflow's retry policy treats as final. */
async function typed<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DomainError) {
      const final = ['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT'].includes(error.code);
      throw ApplicationFailure.create({ message: error.message, type: error.code, nonRetryable: final });
    }
    throw error;
  }
}

export function createServiceActivities(deps: ServiceActivityDeps) {
  return {
    async learnFromCorrection(request: LearnRequest) {
      return typed(() =>
        deps.knowledge.learnFromCorrection({
          workspaceId: request.workspaceId,
          conversationId: request.conversationId,
          messageId: request.messageId,
          question: request.question,
          correctedText: request.correctedText,
          references: request.knowledgeItemIds,
          agent: request.agent,
          idempotencyKey: `correction:${request.messageId}`,
          correctedItemIds: request.correctedItemIds ?? [],
          ...(request.locale ? { locale: request.locale } : {}),
          scopePlans: request.scopePlans ?? [],
          scopeAreas: request.scopeAreas ?? [],
          ...(request.askedPlan ? { askedPlan: request.askedPlan } : {}),
          ...(request.askedAreas ? { askedAreas: request.askedAreas } : {}),
          ...(request.askedTopic ? { askedTopic: request.askedTopic } : {}),
        }),
      );
    },

    async deliverCorrection(request: DeliveryRequest): Promise<{ agentMessageId: string }> {
      if (deps.pauseBeforeDeliveryMs) await new Promise((resolve) => setTimeout(resolve, deps.pauseBeforeDeliveryMs));
      return typed(() => deps.conversation.deliverCorrection(request));
    },

    async recordEscalationStep(step: EscalationStep): Promise<void> {
      await typed(() => deps.conversation.recordEscalationStep(step));
    },

    /** Idempotent: releases only the named holder's claim, so a retry (or a claim taken meanwhile) changes nothing. */
    async releaseClaimAfterBreach(request: { workspaceId: string; conversationId: string; from: string }): Promise<boolean> {
      return typed(() => deps.conversation.releaseClaimAfterBreach(request));
    },

    async productChangeReviewStatus(request: { workspaceId: string; productChangeId: string }): Promise<{ pendingItemIds: string[] }> {
      return typed(() => deps.knowledge.productChangeReviewStatus(request.workspaceId, request.productChangeId));
    },

    /** Idempotent: a review closes once; a retry after a crash changes nothing. */
    async closeProductChangeReview(request: { workspaceId: string; productChangeId: string; outcome: 'completed' | 'overdue'; pendingItemIds: string[] }): Promise<void> {
      const { workspaceId, ...input } = request;
      await typed(() => deps.knowledge.closeProductChangeReview(workspaceId, input));
    },
  };
}
