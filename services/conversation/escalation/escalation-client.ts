/** The conversation service's handle on escalation workflows: corrections as validated updates. */
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { CorrectionApplied, CorrectionRequest, TURN_NOT_HANDED_OFF, escalationWorkflowId, submitCorrectionUpdate } from '../../../workflows/escalation-contract';
import { DomainError, ErrorCode, badInput, unavailable } from '../../shared/errors';
import type { EscalationDispatcher } from './escalation-dispatcher';

const KNOWN = new Set<string>(Object.values(ErrorCode));
const CATCH_UP_ATTEMPTS = 8;

export class EscalationClient {
  constructor(
    private readonly temporal: () => Promise<Client>,
    private readonly dispatcher: EscalationDispatcher,
  ) {}

  /**
   * Runs the correction through the conversation's escalation workflow. If its hand-off command has not been
   * dispatched yet, it is sent now, so an agent who is quicker than the dispatcher is not refused.
   */
  async submitCorrection(conversationId: string, request: CorrectionRequest): Promise<CorrectionApplied> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.update(conversationId, request);
      } catch (error) {
        const notYetKnown = error instanceof WorkflowNotFoundError || error instanceof TurnNotHandedOff;
        if (!notYetKnown) throw error;
        // The hand-off may still be on its way to Temporal (queued, or being sent right now by the dispatcher).
        const sent = await this.dispatcher.dispatchPending(conversationId).catch(() => 0);
        if (attempt >= CATCH_UP_ATTEMPTS) {
          if (error instanceof WorkflowNotFoundError) throw unavailable('The escalation for this conversation has not started yet; try again shortly');
          throw badInput(error.message);
        }
        if (sent === 0) await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  }

  private async update(conversationId: string, request: CorrectionRequest): Promise<CorrectionApplied> {
    let client: Client;
    try {
      client = await this.temporal();
    } catch {
      throw unavailable('The escalation service is not reachable; try the correction again shortly');
    }
    try {
      return await client.workflow.getHandle(escalationWorkflowId(conversationId)).executeUpdate(submitCorrectionUpdate, { args: [request] });
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        // The validator's refusal is the cause; an activity's typed refusal is the cause of its ActivityFailure.
        // A failed correction leaves the turn correctable (the workflow marks it only once applied).
        const refusal = typedFailure(error);
        if (refusal instanceof DomainError && refusal.code === ErrorCode.Unavailable) throw unavailable('The correction could not be applied because a service it needs did not answer; nothing changed, try again shortly');
        if (refusal) throw refusal;
        throw unavailable('The correction could not be applied; nothing changed, try again shortly');
      }
      if (error instanceof WorkflowNotFoundError) throw error;
      throw unavailable('The escalation service did not take the correction; try again shortly');
    }
  }
}

class TurnNotHandedOff extends Error {}

function typedFailure(error: Error): Error | null {
  for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type === TURN_NOT_HANDED_OFF) return new TurnNotHandedOff(cause.message);
    if (cause instanceof ApplicationFailure && cause.type && KNOWN.has(cause.type)) return new DomainError(cause.type as ErrorCode, cause.message);
  }
  return null;
}
