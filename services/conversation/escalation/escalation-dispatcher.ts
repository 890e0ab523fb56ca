/**
 * Sends queued escalation commands to Temporal, oldest first: a hand-off starts (or joins) the conversation's
 * escalation workflow with signalWithStart; agent actions become signals. A command is marked dispatched only
 * after Temporal took it, so an outage delays commands and loses none; the workflow ignores a command it has
 * already seen, so a resend is harmless. A failure stops that conversation's commands for this pass, keeping
 * each conversation's commands in order.
 *
 * A pass runs as soon as a command commits (the queuing statement NOTIFYs, the dispatcher LISTENs), and straight
 * after a full batch; the poll every interval only catches what a lost notification left behind.
 *
 * A hand-off's "offered" step is recorded here, in the transaction that marks it sent, under the run id Temporal
 * returned, and the workflow is told so (EscalationInput.offeredByDispatcher): it used to record the step with an
 * activity, a call back into this service that cost every hand-off a second workflow task and most of the
 * worker's time.
 */
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import pLimit from 'p-limit';
import type { DataSource } from 'typeorm';
import {
  ESCALATION_WORKFLOW,
  EscalationInput,
  EscalationState,
  claimSignal,
  escalationWorkflowId,
  handOffSignal,
  reassignSignal,
  reopenedSignal,
  replySignal,
  resolvedSignal,
  unclaimSignal,
} from '../../../workflows/escalation-contract';
import type { Logger } from '../../shared/logger';
import { PgNotifications } from '../../shared/pg-notifications';
import { rowsOf } from '../../shared/sql-rows';
import { MORE_WAITING, PollingLoop } from '../../shared/polling-loop';
import { ESCALATION_COMMANDS_CHANNEL, EscalationCommandKind } from './escalation-commands';
import type { EscalationSettingsService, EscalationSla } from './escalation-settings.service';
import type { EscalationStepsService } from './escalation-steps.service';

interface CommandRow {
  id: string;
  workspace_id: string;
  conversation_id: string;
  kind: EscalationCommandKind;
  payload: Record<string, string>;
}

const BATCH = 200;
/** The advisory-lock class of a conversation's dispatch lock (two-key locks; the key is the conversation's hash). */
const DISPATCH_LOCK_CLASS = 0x45534331;
/** Conversations whose commands go to Temporal at the same time. */
const PARALLEL_CONVERSATIONS = 64;

export class EscalationDispatcher {
  private readonly loop: PollingLoop;
  private readonly notifications: PgNotifications | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly temporal: () => Promise<Client>,
    private readonly taskQueue: string,
    private readonly settings: EscalationSettingsService,
    private readonly steps: EscalationStepsService,
    logger: Logger,
    options: { intervalMs?: number; listenUrl?: string } = {},
  ) {
    this.loop = new PollingLoop(async () => ((await this.dispatchPending()) >= BATCH ? MORE_WAITING : undefined), {
      intervalMs: options.intervalMs ?? 200,
      onFailure: (error, failures) => logger.warn({ err: error, failures }, 'escalation commands wait for Temporal'),
    });
    this.notifications = options.listenUrl ? new PgNotifications(options.listenUrl, ESCALATION_COMMANDS_CHANNEL, () => this.loop.wake(), logger) : undefined;
  }

  start(): void {
    this.loop.start();
    this.notifications?.start();
  }

  async stop(): Promise<void> {
    await this.notifications?.stop();
    await this.loop.stop();
  }

  /** Sends every pending command (or only one conversation's); returns how many went out. */
  async dispatchPending(conversationId?: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      // A conversation's commands go out in order, whichever replica sends them: a pass takes a conversation's
      // commands only with its lock (held until this transaction ends), and skips the conversations another pass
      // holds, later commands included. Rows alone were not enough: a pass that locked a hand-off's row left a
      // claim queued after it to another pass, which signalled a workflow not yet started (and dropped the claim).
      const rows: CommandRow[] = await tx.query(
        `SELECT id, workspace_id, conversation_id, kind, payload FROM conversation.escalation_commands
          WHERE dispatched_at IS NULL AND ($2::uuid IS NULL OR conversation_id = $2)
            AND pg_try_advisory_xact_lock(${DISPATCH_LOCK_CLASS}, hashtext(conversation_id::text))
          ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH, conversationId ?? null],
      );
      if (rows.length === 0) return 0;
      const client = await this.temporal();
      const slas = new Map<string, Promise<EscalationSla>>();
      const slaOf = (workspaceId: string) => {
        if (!slas.has(workspaceId)) slas.set(workspaceId, this.settings.get(workspaceId));
        return slas.get(workspaceId)!;
      };
      // Order matters within a conversation, not across: conversations go out in parallel, each in order.
      const byConversation = new Map<string, CommandRow[]>();
      for (const row of rows) byConversation.set(row.conversation_id, [...(byConversation.get(row.conversation_id) ?? []), row]);
      const sent: string[] = [];
      const offers: Array<{ workspaceId: string; conversationId: string; runId: string }> = [];
      let firstError: unknown;
      const queues = [...byConversation.values()];
      const sendQueue = async (queue: CommandRow[]) => {
        for (const row of queue) {
          try {
            const runId = await this.send(client, row, slaOf);
            sent.push(row.id);
            if (runId) offers.push({ workspaceId: row.workspace_id, conversationId: row.conversation_id, runId });
          } catch (error) {
            firstError ??= error;
            return;
          }
        }
      };
      const limit = pLimit(PARALLEL_CONVERSATIONS);
      await Promise.all(queues.map((queue) => limit(() => sendQueue(queue))));
      if (sent.length > 0) await tx.query(`UPDATE conversation.escalation_commands SET dispatched_at = now() WHERE id = ANY($1::bigint[])`, [sent]);
      await this.steps.recordOffered(tx, offers);
      if (firstError && sent.length === 0) throw firstError;
      return sent.length;
    });
  }

  /** Sends one command; for a hand-off, returns the run it started or joined. */
  private async send(client: Client, row: CommandRow, slaOf: (workspaceId: string) => Promise<EscalationSla>): Promise<string | null> {
    const workflowId = escalationWorkflowId(row.conversation_id);
    const commandId = `cmd-${row.id}`;
    if (row.kind === 'hand_off') {
      const input: EscalationInput = { workspaceId: row.workspace_id, conversationId: row.conversation_id, sla: await slaOf(row.workspace_id), offeredByDispatcher: true };
      const handle = await client.workflow.signalWithStart(ESCALATION_WORKFLOW, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        signal: handOffSignal,
        signalArgs: [{ commandId, aiMessageId: row.payload.aiMessageId ?? '', reason: row.payload.reason ?? '' }],
      });
      return handle.signaledRunId;
    }
    const agent = row.payload.agent ?? '';
    try {
      const handle = client.workflow.getHandle(workflowId);
      if (row.kind === 'reassign') await handle.signal(reassignSignal, { commandId, agent, to: row.payload.to ?? '', group: row.payload.group ?? '' });
      else await handle.signal({ claim: claimSignal, reply: replySignal, resolved: resolvedSignal, reopened: reopenedSignal, unclaim: unclaimSignal }[row.kind], { commandId, agent });
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      // A case closes once its reopen window has passed: a later reopen opens it again, as a new run.
      if (row.kind === 'reopened') await this.reopenClosedCase(client, row, slaOf, commandId, agent);
      // Otherwise the case is closed (or was never escalated): nothing is waiting for this signal.
    }
    return null;
  }

  /**
   * Starts a new run of a closed case for a conversation reopened after its window, carrying what the conversation
   * records of it: the AI turns it handed off (still correctable through the run) and those already corrected, who
   * holds it, and its first response (so the resolution SLA runs again from now; with none, the first-response SLA).
   * The run records no offered step; its reopened step is recorded here.
   */
  private async reopenClosedCase(client: Client, row: CommandRow, slaOf: (workspaceId: string) => Promise<EscalationSla>, commandId: string, agent: string): Promise<void> {
    const [found] = rowsOf<{ handedOff: string[]; corrected: string[]; claimedBy: string | null; firstRepliedAt: Date | null }>(
      await this.db.query(
        `SELECT coalesce(array_agg(m.id::text ORDER BY m.seq) FILTER (WHERE m.id IS NOT NULL), '{}') AS "handedOff",
                coalesce(array_agg(m.id::text ORDER BY m.seq) FILTER (WHERE m.corrected_at IS NOT NULL), '{}') AS corrected,
                c.claimed_by AS "claimedBy", c.first_replied_at AS "firstRepliedAt"
           FROM conversation.conversations c
           LEFT JOIN conversation.messages m ON m.conversation_id = c.id AND m.author = 'ai'
                AND m.id::text IN (SELECT payload->>'aiMessageId' FROM conversation.escalation_commands WHERE conversation_id = c.id AND kind = 'hand_off')
          WHERE c.id = $1 AND c.workspace_id = $2
          GROUP BY c.id`,
        [row.conversation_id, row.workspace_id],
      ),
    );
    if (!found) return;
    const state: EscalationState = {
      phase: 'in_progress',
      aiMessageIds: found.handedOff,
      correctedMessageIds: found.corrected,
      assignee: found.claimedBy,
      firstResponseAt: found.firstRepliedAt ? found.firstRepliedAt.getTime() : null,
      remindersSent: 0,
      reassignments: 0,
      escalatedToBackup: false,
      seenCommands: [],
      resolutions: 0,
    };
    const input: EscalationInput = { workspaceId: row.workspace_id, conversationId: row.conversation_id, sla: await slaOf(row.workspace_id), offeredByDispatcher: true, state };
    const handle = await client.workflow.signalWithStart(ESCALATION_WORKFLOW, {
      workflowId: escalationWorkflowId(row.conversation_id),
      taskQueue: this.taskQueue,
      args: [input],
      signal: reopenedSignal,
      signalArgs: [{ commandId, agent }],
    });
    await this.steps.record(row.workspace_id, { conversationId: row.conversation_id, kind: 'reopened', stepKey: `${handle.signaledRunId}:reopened:0:0:0`, detail: { newRun: true } });
  }
}
