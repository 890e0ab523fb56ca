/**
 * The escalate → correct → relearn cycle, product-change reviews and weekly report schedules on the real
 * Temporal dev server, through the gateway.
 */
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveTemporalCli } from '../../deploy/local/temporal-cli';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { EscalationState, escalationStateQuery, escalationWorkflowId, submitCorrectionUpdate } from '../../workflows/escalation-contract';
import { codeOf, customerToken, dataOf, graphql } from '../helpers/graphql';
import { eventually } from '../helpers/eventually';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

jest.setTimeout(180_000);

let env: TestStack;
let connection: Connection;
let temporal: Client;
let pool: Pool;
/** How often the worker makes sure every workspace has its weekly report schedule, in this stack. */
const WEEKLY_REPORT_RECONCILE_MS = 1_000;

const ASK = `mutation Ask($input: AskInput!) {
  ask(input: $input) { decision conversation { id } message { id citations { knowledgeItem { id kind } } } }
}`;

/** Set RECORD_HISTORIES=1 to refresh tests/fixtures/histories from this run (the replay test reads them). */
const HISTORY_DIR = path.join(__dirname, '..', 'fixtures', 'histories');

beforeAll(async () => {
  env = await startTestStack({ PRODUCT_CHANGE_REVIEW_DEADLINE_MS: '4000', PRODUCT_CHANGE_REVIEW_CHECK_MS: '300', WEEKLY_REPORT_RECONCILE_MS: String(WEEKLY_REPORT_RECONCILE_MS) });
  connection = await Connection.connect({ address: env.temporalAddress });
  temporal = new Client({ connection });
  pool = new Pool({ connectionString: env.databaseUrl, max: 2 });
  pool.on('error', () => undefined);
});

afterAll(async () => {
  await pool?.end();
  await connection?.close();
  await env?.stop();
});

/** A workflow's result, waiting for the workflow to be started by a service's dispatcher first. */
async function resultOf(workflowId: string): Promise<unknown> {
  await eventually(() => temporal.workflow.getHandle(workflowId).describe().then(() => true, () => false), (started) => started);
  return temporal.workflow.getHandle(workflowId).result();
}

const stateOf = (conversationId: string) => temporal.workflow.getHandle(escalationWorkflowId(conversationId)).query(escalationStateQuery);

/** Saved with the Temporal CLI, in the JSON form `temporal workflow show --output json` gives operators too. */
async function recordHistory(name: string, conversationId: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const cli = resolveTemporalCli(path.join(__dirname, '..', '..'), process.env);
  if (!cli) throw new Error('RECORD_HISTORIES needs the Temporal CLI (npm run tools:temporal)');
  const { stdout } = await promisify(execFile)(cli, ['workflow', 'show', '--workflow-id', escalationWorkflowId(conversationId), '--address', env.temporalAddress, '--output', 'json'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  mkdirSync(HISTORY_DIR, { recursive: true });
  writeFileSync(path.join(HISTORY_DIR, `${name}.json`), stdout);
}

const steps = async (ws: TestWorkspace, conversationId: string) =>
  dataOf(await ws.as('agent', 'query($id: ID!) { conversation(id: $id) { claimedBy escalationSteps { kind detail } } }', { id: conversationId })).conversation;

describe('the full cycle', () => {
  it('ask → hand-off → claim → correction → the customer sees the answer → resolved; the question reworded is answered', async () => {
    const ws = await createTestWorkspace(env, 'Cycle');
    const token = await customerToken(ws.customerTokenSecret, 'cycle-customer');
    const asked = dataOf(await ws.as('widget', ASK, { input: { text: 'Can I export my invoices as a single PDF?' } }, token)).ask;
    expect(asked.decision).toBe('HANDED_OFF');
    const conversationId = asked.conversation.id;

    const offered = await eventually(() => steps(ws, conversationId), (c) => c.escalationSteps.some((s: any) => s.kind === 'offered'));
    expect(offered.escalationSteps.map((s: any) => s.kind)).toEqual(['offered']);

    dataOf(await ws.as('agent', 'mutation($input: ConversationRef!) { claimConversation(input: $input) { id } }', { input: { conversationId } }));
    const claimed = await eventually(() => stateOf(conversationId), (s) => s.assignee !== null);
    expect(claimed.assignee).toMatch(/^key:/);
    expect(claimed.aiMessageIds).toEqual([asked.message.id]);

    const correction = dataOf(
      await ws.as(
        'agent',
        'mutation($input: CorrectAnswerInput!) { correctAnswer(input: $input) { learning learnedAnswer { id } message { author text } } }',
        { input: { messageId: asked.message.id, correctedText: 'Yes: in Billing > Invoices select the invoices and choose Download as one PDF.' } },
      ),
    ).correctAnswer;
    expect(correction.learning).toBe('CREATED');

    // The customer sees the agent's answer in the conversation.
    const seen = dataOf(await ws.as('widget', 'query($id: ID!) { conversation(id: $id) { messages { author text } } }', { id: conversationId }, token)).conversation;
    expect(seen.messages.map((m: any) => m.author)).toEqual(['CUSTOMER', 'AI', 'AGENT']);
    expect(seen.messages[2].text).toContain('Download as one PDF');

    dataOf(await ws.as('widget', 'mutation($input: ConversationRef!) { markResolved(input: $input) { status } }', { input: { conversationId } }, token));
    const resolved = await eventually(() => stateOf(conversationId), (s) => s.phase === 'resolved');
    expect(resolved).toMatchObject({ phase: 'resolved', correctedMessageIds: [asked.message.id], resolutions: 1 });
    const history = await eventually(() => steps(ws, conversationId), (c) => c.escalationSteps.some((s: any) => s.kind === 'resolved'));
    expect(history.escalationSteps.map((s: any) => s.kind)).toEqual(['offered', 'resolved']);

    const paraphrase = dataOf(await ws.as('widget', ASK, { input: { text: 'can I export my invoices as a single PDF please' } })).ask;
    expect(paraphrase.decision).toBe('ANSWERED');
    expect(paraphrase.message.citations[0].knowledgeItem.id).toBe(correction.learnedAnswer.id);
    await recordHistory('escalation-full-cycle', conversationId);
  });
});

describe('a follow-up while the case waits for a person', () => {
  it('is added to the case, and the customer is told it joined the conversation with the team rather than that it was passed on again', async () => {
    const ws = await createTestWorkspace(env, 'Follow-up');
    const token = await customerToken(ws.customerTokenSecret, 'waiting-customer');
    const FOLLOW_UP = 'mutation($input: AskInput!) { ask(input: $input) { decision conversation { id status } message { text } } }';
    const asked = dataOf(await ws.as('widget', FOLLOW_UP, { input: { text: 'Can I export my invoices as a single PDF?' } }, token)).ask;
    expect(asked.decision).toBe('HANDED_OFF');
    expect(asked.message.text).toMatch(/passed your question to our support team/);
    const again = dataOf(await ws.as('widget', FOLLOW_UP, { input: { text: 'hello? anyone there?', conversationId: asked.conversation.id } }, token)).ask;
    expect(again).toMatchObject({ decision: 'HANDED_OFF', conversation: { id: asked.conversation.id, status: 'HANDED_OFF' } });
    expect(again.message.text).toBe("Your conversation is already with our support team, and I've added this message to it. Someone will reply here shortly.");
  });
});

describe('validating a correction', () => {
  it('a bad correction is refused by the update validator and leaves no trace in history or database', async () => {
    const ws = await createTestWorkspace(env, 'Validation');
    const asked = dataOf(await ws.as('widget', ASK, { input: { text: 'Do you support SCIM provisioning?' } })).ask;
    const conversationId = asked.conversation.id;
    await eventually(() => stateOf(conversationId).catch(() => null), (s) => s !== null && s.aiMessageIds.length === 1);
    const handle = temporal.workflow.getHandle(escalationWorkflowId(conversationId));

    const refusals: string[] = [];
    for (const request of [
      { messageId: asked.message.id, question: 'q', correctedText: '   ', knowledgeItemIds: [], agent: 'key:test' },
      { messageId: '00000000-0000-4000-8000-000000000000', question: 'q', correctedText: 'A real answer.', knowledgeItemIds: [], agent: 'key:test' },
    ]) {
      const error = await handle.executeUpdate(submitCorrectionUpdate, { args: [request] }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      refusals.push(String((error as Error & { cause?: Error }).cause?.message));
    }
    expect(refusals).toEqual(['correctedText must not be empty', 'Only an AI turn that was handed off in this conversation can be corrected']);
    // A rejected update leaves no event at all: nothing admitted, accepted or completed.
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((event) => /UPDATE/i.test(String(event.eventType)) || event.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM conversation.messages WHERE conversation_id = $1 AND author = 'agent'`, [conversationId]);
    expect(rows[0].n).toBe(0);
    const { rows: learned } = await pool.query(`SELECT count(*)::int AS n FROM knowledge.learning_events WHERE workspace_id = $1`, [ws.id]);
    expect(learned[0].n).toBe(0);

    // Through the API, the same refusal is a typed error.
    const viaApi = await ws.as('agent', 'mutation($input: CorrectAnswerInput!) { correctAnswer(input: $input) { learning } }', {
      input: { messageId: asked.message.id, correctedText: 'x'.repeat(20_001) },
    });
    expect(codeOf(viaApi)).toBe('BAD_USER_INPUT');
  });

  it('a second correction of the same answer is a CONFLICT', async () => {
    const ws = await createTestWorkspace(env, 'Twice');
    const asked = dataOf(await ws.as('widget', ASK, { input: { text: 'Is there a dark mode?' } })).ask;
    const correct = () =>
      ws.as('agent', 'mutation($input: CorrectAnswerInput!) { correctAnswer(input: $input) { learning } }', {
        input: { messageId: asked.message.id, correctedText: 'Yes: Profile > Appearance > Dark.' },
      });
    expect(dataOf(await correct()).correctAnswer.learning).toBe('CREATED');
    expect(codeOf(await correct())).toBe('CONFLICT');
  });
});

describe('a correction that fails leaves the turn correctable', () => {
  const CORRECT = 'mutation($input: CorrectAnswerInput!) { correctAnswer(input: $input) { learning message { author } } }';
  const agentMessages = async (conversationId: string) =>
    (await pool.query(`SELECT count(*)::int AS n FROM conversation.messages WHERE conversation_id = $1 AND author = 'agent'`, [conversationId])).rows[0].n as number;
  const learningEvents = async (workspaceId: string) =>
    (await pool.query(`SELECT count(*)::int AS n FROM knowledge.learning_events WHERE workspace_id = $1`, [workspaceId])).rows[0].n as number;

  async function handedOff(ws: TestWorkspace, text: string) {
    const asked = dataOf(await ws.as('widget', ASK, { input: { text } })).ask;
    expect(asked.decision).toBe('HANDED_OFF');
    const conversationId: string = asked.conversation.id;
    const before = await eventually(() => stateOf(conversationId).catch(() => null), (s) => s !== null && s.aiMessageIds.length === 1);
    return { conversationId, messageId: asked.message.id as string, before: before! };
  }

  /** The failed attempt changed nothing: not corrected, first-response SLA still running, nothing written. */
  async function expectUntouched(ws: TestWorkspace, conversationId: string, before: EscalationState) {
    const after = await stateOf(conversationId);
    expect(after).toMatchObject({ correctedMessageIds: [], firstResponseAt: null, phase: before.phase, assignee: before.assignee });
    expect(await agentMessages(conversationId)).toBe(0);
    expect(await learningEvents(ws.id)).toBe(0);
  }

  it('a reference to a knowledge item that does not exist is NOT_FOUND, and the retry without it is applied once', async () => {
    const ws = await createTestWorkspace(env, 'Bad reference');
    const { conversationId, messageId, before } = await handedOff(ws, 'Can I pause my subscription for a month?');
    const input = { messageId, correctedText: 'Yes: Billing > Plan > Pause, for up to three months.' };

    const refused = await ws.as('agent', CORRECT, { input: { ...input, knowledgeItemIds: ['00000000-0000-4000-8000-000000000001'] } });
    expect(codeOf(refused)).toBe('NOT_FOUND');
    await expectUntouched(ws, conversationId, before);

    const applied = dataOf(await ws.as('agent', CORRECT, { input })).correctAnswer;
    expect(applied).toEqual({ learning: 'CREATED', message: { author: 'AGENT' } });
    expect(await stateOf(conversationId)).toMatchObject({ correctedMessageIds: [messageId], phase: 'in_progress' });
    expect((await stateOf(conversationId)).firstResponseAt).not.toBeNull();
    expect(await agentMessages(conversationId)).toBe(1);
    expect(await learningEvents(ws.id)).toBe(1);
    expect(codeOf(await ws.as('agent', CORRECT, { input }))).toBe('CONFLICT');
  });

  it('two corrections of the same turn at once: one is applied, the other is a CONFLICT', async () => {
    const ws = await createTestWorkspace(env, 'Concurrent corrections');
    const { conversationId, messageId } = await handedOff(ws, 'Can two people share one seat?');
    const results = await Promise.all(
      ['No: each person needs a seat of their own.', 'No, seats are per person.'].map((correctedText) => ws.as('agent', CORRECT, { input: { messageId, correctedText } })),
    );
    expect(results.map((result) => codeOf(result) ?? result.data?.correctAnswer.learning).sort()).toEqual(['CONFLICT', 'CREATED']);
    expect(await agentMessages(conversationId)).toBe(1);
    expect(await learningEvents(ws.id)).toBe(1);
    expect((await stateOf(conversationId)).correctedMessageIds).toEqual([messageId]);
  });

  it('a knowledge outage during the correction is UNAVAILABLE; once knowledge is back the retry is applied once', async () => {
    const ws = await createTestWorkspace(env, 'Knowledge outage');
    const { conversationId, messageId, before } = await handedOff(ws, 'Can I move my account to another region?');
    const input = { messageId, correctedText: 'Yes: Settings > Data residency > Request a move; it takes a day.' };

    await env.stack.stopProcess('knowledge');
    let refused;
    try {
      refused = await ws.as('agent', CORRECT, { input });
    } finally {
      await env.stack.startProcess('knowledge');
    }
    expect(codeOf(refused)).toBe('UNAVAILABLE');
    await expectUntouched(ws, conversationId, before);

    const applied = dataOf(await ws.as('agent', CORRECT, { input })).correctAnswer;
    expect(applied).toEqual({ learning: 'CREATED', message: { author: 'AGENT' } });
    expect((await stateOf(conversationId)).correctedMessageIds).toEqual([messageId]);
    expect(await agentMessages(conversationId)).toBe(1);
    expect(await learningEvents(ws.id)).toBe(1);
  });
});

describe('service levels', () => {
  it('sends a reminder before the first-response SLA and re-assigns at the breach', async () => {
    const ws = await createTestWorkspace(env, 'SLA');
    dataOf(await ws.as('admin', 'mutation { updateEscalationSettings(input: { firstResponseMs: 1500, reminderBeforeMs: 1000, resolutionMs: 600000 }) { firstResponseMs } }'));
    const asked = dataOf(await ws.as('widget', ASK, { input: { text: 'Can I get a refund for last year?' } })).ask;
    const conversationId = asked.conversation.id;
    await eventually(() => steps(ws, conversationId), (c) => c.escalationSteps.length > 0);
    dataOf(await ws.as('agent', 'mutation($input: ConversationRef!) { claimConversation(input: $input) { id } }', { input: { conversationId } }));
    const breached = await eventually(() => steps(ws, conversationId), (c) => c.escalationSteps.some((s: any) => s.kind === 'reassigned'), 20_000);
    expect(breached.escalationSteps.map((s: any) => s.kind)).toEqual(['offered', 'reminded', 'reassigned']);
    expect(breached.escalationSteps[2].detail).toMatchObject({ sla: 'first_response' });
    expect(breached.claimedBy).toBeNull();
    // The step is recorded by an activity; the workflow counts the re-assignment when it hears the activity ended.
    const state: EscalationState = await eventually(() => stateOf(conversationId), (s: EscalationState) => s.reassignments > 0);
    expect(state).toMatchObject({ remindersSent: 1, reassignments: 1, assignee: null });
    await recordHistory('escalation-sla-breach', conversationId);
  });

  it('after a first-response breach, the resolution SLA runs from the late first response and goes to the backup group', async () => {
    const ws = await createTestWorkspace(env, 'SLA late response');
    dataOf(await ws.as('admin', 'mutation { updateEscalationSettings(input: { firstResponseMs: 1000, reminderBeforeMs: 500, resolutionMs: 2500 }) { firstResponseMs } }'));
    const asked = dataOf(await ws.as('widget', ASK, { input: { text: 'Can I change the currency of my invoices?' } })).ask;
    const conversationId = asked.conversation.id;
    await eventually(() => steps(ws, conversationId), (c) => c.escalationSteps.some((s: any) => s.kind === 'reassigned'), 20_000);
    // Nothing more happens until someone answers: the resolution SLA counts from the first response.
    await eventually(() => stateOf(conversationId), (s: EscalationState) => s.reassignments > 0);
    const repliedAt = Date.now();
    dataOf(await ws.as('agent', 'mutation($input: ReplyInput!) { replyToConversation(input: $input) { id } }', { input: { conversationId, text: 'Sorry for the wait: yes, under Billing > Currency.' } }));
    const escalated = await eventually(() => steps(ws, conversationId), (c) => c.escalationSteps.some((s: any) => s.kind === 'escalated_to_backup'), 30_000);
    expect(escalated.escalationSteps.map((s: any) => s.kind)).toEqual(['offered', 'reminded', 'reassigned', 'escalated_to_backup']);
    expect(escalated.escalationSteps[3].detail).toMatchObject({ sla: 'resolution' });
    expect(Date.now() - repliedAt).toBeGreaterThanOrEqual(2500);
    expect(await stateOf(conversationId)).toMatchObject({ escalatedToBackup: true, firstResponseAt: expect.any(Number) });
    await recordHistory('escalation-sla-late-response', conversationId);
  });
});

describe('a case reopened after it closed', () => {
  it('starts again as a new run that still takes corrections of its handed-off turn; closed, a correction is CONFLICT', async () => {
    const ws = await createTestWorkspace(env, 'Late reopen');
    dataOf(await ws.as('admin', 'mutation { updateEscalationSettings(input: { reopenWindowMs: 500 }) { reopenWindowMs } }'));
    const asked = dataOf(await ws.as('widget', ASK, { input: { text: 'Can I export invoices as XML?' } })).ask;
    const conversationId: string = asked.conversation.id;
    const handle = temporal.workflow.getHandle(escalationWorkflowId(conversationId));
    await eventually(() => stateOf(conversationId).catch(() => null), (s) => s !== null && s.aiMessageIds.length === 1);
    const { runId: firstRun } = await handle.describe();
    dataOf(await ws.as('agent', 'mutation($input: ConversationRef!) { resolveConversation(input: $input) { id } }', { input: { conversationId } }));
    // The reopen window passes: the case closes.
    await eventually(async () => (await handle.describe()).status.name, (status) => status === 'COMPLETED', 20_000);
    const CORRECT = 'mutation($input: CorrectAnswerInput!) { correctAnswer(input: $input) { learning } }';
    const input = { messageId: asked.message.id, correctedText: 'Not yet: invoices export as CSV or PDF.' };
    expect(codeOf(await ws.as('agent', CORRECT, { input }))).toBe('CONFLICT');

    dataOf(await ws.as('agent', 'mutation($input: ConversationRef!) { reopenConversation(input: $input) { id } }', { input: { conversationId } }));
    const reopened = await eventually(
      async () => handle.describe().then((d) => ({ runId: d.runId, status: d.status.name })),
      (d) => d.runId !== firstRun && d.status === 'RUNNING',
      20_000,
    );
    expect(reopened.status).toBe('RUNNING');
    expect(await stateOf(conversationId)).toMatchObject({ phase: 'in_progress', aiMessageIds: [asked.message.id], correctedMessageIds: [] });
    const kinds = (await eventually(() => steps(ws, conversationId), (c) => c.escalationSteps.some((s: any) => s.kind === 'reopened'))).escalationSteps.map((s: any) => s.kind);
    expect(kinds).toEqual(['offered', 'resolved', 'reopened']);
    expect(dataOf(await ws.as('agent', CORRECT, { input })).correctAnswer.learning).toBe('CREATED');
    expect((await stateOf(conversationId)).correctedMessageIds).toEqual([asked.message.id]);
  });
});

describe('product-change reviews', () => {
  const RECORD = 'mutation($input: RecordProductChangeInput!) { recordProductChange(input: $input) { id flaggedItems { id } reviewDeadline } }';
  const CHANGES = '{ productChanges { id reviewOutcome reviewClosedAt } }';

  it('closes as completed when every flagged item is reviewed, and reports what is left when the deadline passes', async () => {
    const ws = await createTestWorkspace(env, 'Reviews');
    const article = (title: string) =>
      ws.as('admin', 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', { input: { title, body: `${title} works like this.`, tags: ['exports'] } });
    const a = dataOf(await article('CSV export')).createArticle.id;
    const b = dataOf(await article('PDF export')).createArticle.id;
    const change = dataOf(await ws.as('admin', RECORD, { input: { kind: 'DEPRECATED_FEATURE', title: 'PDF export retired', description: 'Use CSV.', productAreas: ['exports'] } })).recordProductChange;
    expect(change.flaggedItems.map((i: any) => i.id).sort()).toEqual([a, b].sort());
    expect(change.reviewDeadline).not.toBeNull();

    // One item is reviewed (edited); the other is left: at the deadline the review is reported overdue.
    dataOf(await ws.as('admin', 'mutation($input: UpdateArticleInput!) { updateArticle(input: $input) { stale } }', { input: { id: a, body: 'CSV export is the way to export.' } }));
    const overdue = await eventually(async () => dataOf(await ws.as('analyst', CHANGES)).productChanges[0], (c: any) => c.reviewOutcome !== null, 20_000);
    expect(overdue).toMatchObject({ id: change.id, reviewOutcome: 'overdue' });
    const result = await resultOf(`product-change-review-${change.id}`);
    expect(result).toEqual({ outcome: 'overdue', pendingItemIds: [b] });

    // A second change whose item is reviewed in time completes.
    const second = dataOf(await ws.as('admin', RECORD, { input: { kind: 'RELEASE_NOTE', title: 'CSV gets headers', description: 'New.', productAreas: [], knowledgeItemIds: [a] } })).recordProductChange;
    dataOf(await ws.as('admin', 'mutation($input: UpdateArticleInput!) { updateArticle(input: $input) { stale } }', { input: { id: a, body: 'CSV export now includes headers.' } }));
    const completed = await resultOf(`product-change-review-${second.id}`);
    expect(completed).toEqual({ outcome: 'completed', pendingItemIds: [] });
  });
});

describe('weekly report schedules', () => {
  it('every workspace gets its schedule, in its time zone, without duplicates', async () => {
    const created = dataOf(
      await graphql(env.gatewayUrl, 'mutation { createWorkspace(input: { name: "Scheduled", timeZone: "Asia/Tokyo" }) { workspace { id } } }', {}, { apiKey: env.operatorKey }),
    ).createWorkspace.workspace.id;
    const description = await eventually(
      () => temporal.schedule.getHandle(`weekly-report-${created}`).describe().catch(() => null),
      (d) => d !== null,
      15_000,
    );
    const calendar = description?.spec.calendars?.[0] as unknown as Record<string, Array<{ start: number | string }>>;
    expect(JSON.stringify(calendar.dayOfWeek)).toContain('MONDAY');
    expect(calendar.hour).toEqual([expect.objectContaining({ start: 6 })]);
    expect(description?.spec.timezone).toBe('Asia/Tokyo');
    // Two more reconcile passes of the worker (and half a pass for their own time): one that re-created the
    // schedule instead of finding it would have done so by now.
    await new Promise((resolve) => setTimeout(resolve, 2.5 * WEEKLY_REPORT_RECONCILE_MS));
    const ids: string[] = [];
    for await (const schedule of temporal.schedule.list()) if (schedule.scheduleId === `weekly-report-${created}`) ids.push(schedule.scheduleId);
    expect(ids).toHaveLength(1);
  });
});
