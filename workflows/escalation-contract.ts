/**
 * The escalation workflow's contract: its input, signals, update and query. Shared by the workflow and by the
 * conversation service that starts and drives it, so the two cannot drift apart.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CorrectionContext, LearnOutcome } from '../services/knowledge/contracts';

export const ESCALATION_WORKFLOW = 'escalation';
export const escalationWorkflowId = (conversationId: string) => `escalation-${conversationId}`;
/** The offered step's key: the workflow's step key (run id, kind, reminders, re-assignments, resolutions) at a run's start. */
export const offeredStepKey = (runId: string) => `${runId}:offered:0:0:0`;

export interface EscalationSla {
  firstResponseMs: number;
  resolutionMs: number;
  /** How long before a breach the reminder goes out. */
  reminderBeforeMs: number;
  /** After resolution, how long a reopen still belongs to this case. */
  reopenWindowMs: number;
}

export interface EscalationInput {
  workspaceId: string;
  conversationId: string;
  sla: EscalationSla;
  /**
   * The starter records the run's offered step itself (under offeredStepKey(runId)), so the workflow does not. The
   * conversation service's dispatcher does, in the transaction that marks the hand-off sent: a call back into that
   * service from an activity cost every hand-off a second workflow task and most of the worker's time.
   */
  offeredByDispatcher?: boolean;
  /** Carried across continue-as-new. */
  state?: EscalationState;
}

export interface HandOffSignal {
  commandId: string;
  aiMessageId: string;
  reason: string;
}

export interface AgentSignal {
  commandId: string;
  agent: string;
}

export interface ReassignSignal extends AgentSignal {
  /** The new holder (agent:<id>), or '' when it went to a group or back to the queue. */
  to: string;
  group: string;
}

/** Its context fields are absent in updates sent before languages and scopes: 'en', everywhere, asked nowhere known. */
export interface CorrectionRequest extends CorrectionContext {
  messageId: string;
  /** The customer question the corrected turn answered: what the learned answer is learned for. */
  question: string;
  correctedText: string;
  knowledgeItemIds: string[];
  agent: string;
  /** The items the corrected AI turn cited (a learned answer among them may be contradicted by the correction). */
  correctedItemIds?: string[];
}

export interface CorrectionApplied {
  agentMessageId: string;
  /** Null when nothing was learned (learning is frozen in the workspace). */
  learnedAnswerId: string | null;
  learning: LearnOutcome;
}

export type EscalationPhase = 'waiting_for_agent' | 'in_progress' | 'resolved';

export interface EscalationState {
  phase: EscalationPhase;
  aiMessageIds: string[];
  correctedMessageIds: string[];
  assignee: string | null;
  firstResponseAt: number | null;
  remindersSent: number;
  reassignments: number;
  escalatedToBackup: boolean;
  seenCommands: string[];
  resolutions: number;
}

export const handOffSignal = defineSignal<[HandOffSignal]>('handOff');
export const claimSignal = defineSignal<[AgentSignal]>('claim');
export const replySignal = defineSignal<[AgentSignal]>('reply');
export const resolvedSignal = defineSignal<[AgentSignal]>('resolved');
export const reopenedSignal = defineSignal<[AgentSignal]>('reopened');
export const unclaimSignal = defineSignal<[AgentSignal]>('unclaim');
export const reassignSignal = defineSignal<[ReassignSignal]>('reassign');
export const submitCorrectionUpdate = defineUpdate<CorrectionApplied, [CorrectionRequest]>('submitCorrection');
export const escalationStateQuery = defineQuery<EscalationState>('state');

export const MAX_CORRECTION_LENGTH = 20_000;

/** The validator's refusal type for a turn the workflow has not (yet) been told was handed off. */
export const TURN_NOT_HANDED_OFF = 'TURN_NOT_HANDED_OFF';
/** The validator's refusal while an earlier update for the same turn is still being applied (a CONFLICT). */
export const CORRECTION_IN_PROGRESS = 'This answer is being corrected right now';

