/**
 * escalation (id `escalation-<conversationId>`): a hand-off is a promise to a customer. The workflow offers the
 * conversation to agents, keeps first-response and resolution SLAs with reminders and re-assignment, takes the
 * agent's correction as a validated update and applies it (learn, tell the customer), then waits for the
 * conversation to be resolved or reopened and records the outcome. Deterministic: all I/O is in activities.
 */
import { ApplicationFailure, RetryPolicy, allHandlersFinished, condition, continueAsNew, patched, proxyActivities, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { LoopdeskActivities } from './activities';
import {
  CorrectionApplied,
  CorrectionRequest,
  EscalationInput,
  EscalationState,
  MAX_CORRECTION_LENGTH,
  TURN_NOT_HANDED_OFF,
  CORRECTION_IN_PROGRESS,
  claimSignal,
  escalationStateQuery,
  handOffSignal,
  reassignSignal,
  reopenedSignal,
  replySignal,
  resolvedSignal,
  submitCorrectionUpdate,
  unclaimSignal,
} from './escalation-contract';

const { learnFromCorrection, deliverCorrection, recordEscalationStep, releaseClaimAfterBreach } = proxyActivities<LoopdeskActivities>({
  // Calls to internal services: a worker that dies mid-call is noticed within this and the call retried.
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: ['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN'] },
});

// A correction is applied while the agent waits on the update: an outage ends it after a few seconds (the turn
// stays correctable), rather than leaving the agent's request hanging on retries. Five attempts still outlast a
// worker crash (one attempt lost to its start-to-close timeout).
const correctionRetry: RetryPolicy = { initialInterval: '250 milliseconds', backoffCoefficient: 2, maximumAttempts: 5, nonRetryableErrorTypes: ['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT'] };
const correctionActivities = proxyActivities<LoopdeskActivities>({ startToCloseTimeout: '10 seconds', retry: correctionRetry });

// The same two calls as local activities: run by the worker inside the workflow task that took the update, their
// results recorded as markers when it completes. The agent's request no longer waits on two activity task queues
// and two more workflow tasks (under load, most of a correction's time). A worker that dies mid-way loses that
// workflow task; Temporal hands it and the update to another worker after the task's timeout, which runs both
// again: both are idempotent on the corrected message, as for an ordinary activity retry.
const correctionLocalActivities = proxyLocalActivities<LoopdeskActivities>({ startToCloseTimeout: '10 seconds', retry: correctionRetry });

/**
 * Workflows that started before this patch re-assigned at a first-response breach only by recording the step
 * (whose side effect cleared any claim); now the silent agent's claim is released through the desk's unclaim
 * first, which leaves a claim someone else took meanwhile alone.
 */
const SLA_RELEASE_THROUGH_DESK = 'sla-release-through-desk';

/** Workflows that started before this patch marked the turn corrected before applying the correction. */
const CORRECTION_MARKED_AFTER_APPLY = 'correction-marked-after-apply';

/** Workflows that started before this patch applied corrections with scheduled activities. */
const CORRECTION_AS_LOCAL_ACTIVITIES = 'correction-as-local-activities';

/**
 * Workflows that started before this patch skipped the resolution SLA after a first-response breach: its timer
 * runs from the first response (as the desk's `Conversation.sla` counts it), and a late one never started it.
 */
const RESOLUTION_SLA_AFTER_LATE_RESPONSE = 'resolution-sla-after-late-response';


export async function escalation(input: EscalationInput): Promise<EscalationState> {
  const state: EscalationState = input.state ?? {
    phase: 'waiting_for_agent',
    aiMessageIds: [],
    correctedMessageIds: [],
    assignee: null,
    firstResponseAt: null,
    remindersSent: 0,
    reassignments: 0,
    escalatedToBackup: false,
    seenCommands: [],
    resolutions: 0,
  };
  // Signals arrive at least once (the conversation service retries them): each command counts once.
  const firstTime = (commandId: string) => {
    if (state.seenCommands.includes(commandId)) return false;
    state.seenCommands.push(commandId);
    if (state.seenCommands.length > 200) state.seenCommands.splice(0, state.seenCommands.length - 200);
    return true;
  };
  const responded = () => {
    if (state.firstResponseAt === null) state.firstResponseAt = Date.now();
  };

  setHandler(handOffSignal, (signal) => {
    if (!firstTime(signal.commandId)) return;
    if (!state.aiMessageIds.includes(signal.aiMessageId)) state.aiMessageIds.push(signal.aiMessageId);
    if (state.phase === 'resolved') state.phase = 'waiting_for_agent';
  });
  setHandler(claimSignal, (signal) => {
    if (!firstTime(signal.commandId)) return;
    state.assignee = signal.agent;
    if (state.phase === 'waiting_for_agent') state.phase = 'in_progress';
  });
  setHandler(unclaimSignal, (signal) => {
    if (!firstTime(signal.commandId)) return;
    state.assignee = null;
  });
  setHandler(reassignSignal, (signal) => {
    if (!firstTime(signal.commandId)) return;
    state.assignee = signal.to || null;
    if (state.assignee && state.phase === 'waiting_for_agent') state.phase = 'in_progress';
  });
  setHandler(replySignal, (signal) => {
    if (!firstTime(signal.commandId)) return;
    responded();
    if (state.phase === 'waiting_for_agent') state.phase = 'in_progress';
  });
  setHandler(resolvedSignal, (signal) => {
    if (!firstTime(signal.commandId)) return;
    state.phase = 'resolved';
    state.resolutions += 1;
  });
  setHandler(reopenedSignal, (signal) => {
    if (!firstTime(signal.commandId)) return;
    state.phase = 'in_progress';
  });
  setHandler(escalationStateQuery, () => state);
  // Corrections being applied right now: a second update for the same turn is refused until the first ends.
  const correcting = new Set<string>();
  const apply = async (request: CorrectionRequest, activities: Pick<LoopdeskActivities, 'learnFromCorrection' | 'deliverCorrection'>): Promise<CorrectionApplied> => {
    const learned = await activities.learnFromCorrection({ workspaceId: input.workspaceId, conversationId: input.conversationId, ...request });
    const delivered = await activities.deliverCorrection({ workspaceId: input.workspaceId, ...request, learnedAnswerId: learned.knowledgeItemId });
    return { agentMessageId: delivered.agentMessageId, learnedAnswerId: learned.knowledgeItemId, learning: learned.outcome };
  };
  const markCorrected = (request: CorrectionRequest) => {
    state.correctedMessageIds.push(request.messageId);
    responded();
    if (state.phase === 'waiting_for_agent') state.phase = 'in_progress';
    state.assignee ??= request.agent;
  };
  setHandler(
    submitCorrectionUpdate,
    async (request) => {
      if (!patched(CORRECTION_MARKED_AFTER_APPLY)) {
        markCorrected(request);
        return apply(request, { learnFromCorrection, deliverCorrection });
      }
      // The turn counts as corrected (and the first-response SLA as met) only once knowledge learned it and the
      // customer was told: a refused reference or an outage leaves the case exactly as it was, and correctable.
      correcting.add(request.messageId);
      try {
        const applied = await apply(request, patched(CORRECTION_AS_LOCAL_ACTIVITIES) ? correctionLocalActivities : correctionActivities);
        markCorrected(request);
        return applied;
      } finally {
        correcting.delete(request.messageId);
      }
    },
    {
      // Synchronous and free of I/O: a rejection here leaves no trace in history or in any database.
      validator: (request) => {
        const text = request.correctedText.trim();
        if (!text) throw ApplicationFailure.nonRetryable('correctedText must not be empty', 'BAD_USER_INPUT');
        if (text.length > MAX_CORRECTION_LENGTH) throw ApplicationFailure.nonRetryable(`correctedText may be at most ${MAX_CORRECTION_LENGTH} characters`, 'BAD_USER_INPUT');
        if (!state.aiMessageIds.includes(request.messageId)) throw ApplicationFailure.nonRetryable('Only an AI turn that was handed off in this conversation can be corrected', TURN_NOT_HANDED_OFF);
        if (state.correctedMessageIds.includes(request.messageId)) throw ApplicationFailure.nonRetryable('This answer was already corrected', 'CONFLICT');
        if (correcting.has(request.messageId)) throw ApplicationFailure.nonRetryable(CORRECTION_IN_PROGRESS, 'CONFLICT');
        if (state.phase === 'resolved') throw ApplicationFailure.nonRetryable('This case is closed; reopen the conversation first', 'CONFLICT');
      },
    },
  );

  const step = (kind: Parameters<typeof recordEscalationStep>[0]['kind'], detail: Record<string, unknown> = {}) =>
    recordEscalationStep({
      workspaceId: input.workspaceId,
      conversationId: input.conversationId,
      kind,
      // Deterministic per run and step: a retried activity records its step once.
      stepKey: `${workflowInfo().runId}:${kind}:${state.remindersSent}:${state.reassignments}:${state.resolutions}`,
      detail,
    });

  // A dispatcher that records the offered step itself says so in the input (see EscalationInput.offeredByDispatcher):
  // one workflow task and no activity per hand-off. The branch depends on the input alone, which is in the history,
  // so running cases replay as they ran (no patch marker needed) and, in a rolling deploy, a case started by an
  // older dispatcher still records its own step.
  if (!input.state && !input.offeredByDispatcher) await step('offered');

  while (true) {
    // First response: a reminder before the breach, re-assignment at the breach.
    if (state.firstResponseAt === null && state.phase !== 'resolved') {
      const reminderAt = Math.max(0, input.sla.firstResponseMs - input.sla.reminderBeforeMs);
      if (!(await condition(() => state.firstResponseAt !== null || state.phase === 'resolved', reminderAt))) {
        await step('reminded', { sla: 'first_response', assignee: state.assignee });
        state.remindersSent += 1;
        if (!(await condition(() => state.firstResponseAt !== null || state.phase === 'resolved', input.sla.reminderBeforeMs))) {
          const from = state.assignee;
          if (patched(SLA_RELEASE_THROUGH_DESK)) {
            if (from) await releaseClaimAfterBreach({ workspaceId: input.workspaceId, conversationId: input.conversationId, from });
            await step('reassigned', { sla: 'first_response', from, via: 'unclaim' });
          } else {
            await step('reassigned', { sla: 'first_response', from });
          }
          state.reassignments += 1;
          state.assignee = null;
        }
      }
    }
    // After a breach, the resolution SLA waits for the late first response (or the resolution) to start from it.
    if (state.firstResponseAt === null && state.phase !== 'resolved' && patched(RESOLUTION_SLA_AFTER_LATE_RESPONSE)) {
      await condition(() => state.firstResponseAt !== null || state.phase === 'resolved' || workflowInfo().continueAsNewSuggested);
    }
    // Resolution: past the SLA the case goes to the backup group, once.
    if (state.phase !== 'resolved' && !state.escalatedToBackup) {
      if (!(await condition(() => state.phase === 'resolved' || state.firstResponseAt === null, input.sla.resolutionMs))) {
        await step('escalated_to_backup', { sla: 'resolution', assignee: state.assignee });
        state.escalatedToBackup = true;
      }
    }
    await condition(() => state.phase === 'resolved' || workflowInfo().continueAsNewSuggested);
    if (state.phase !== 'resolved') {
      await condition(allHandlersFinished);
      return await continueAsNew<typeof escalation>({ ...input, state });
    }
    await step('resolved', { corrections: state.correctedMessageIds.length, reassignments: state.reassignments, firstResponseAt: state.firstResponseAt });
    // A reopen within the window continues this case; otherwise it is closed.
    if (!(await condition(() => state.phase !== 'resolved', input.sla.reopenWindowMs))) break;
    await step('reopened');
  }
  await condition(allHandlersFinished);
  return state;
}
