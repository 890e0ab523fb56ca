/**
 * Escalations at volume: starts the real stack, opens N escalations (N widget `ask` calls that nobody can
 * answer, so each is handed off and the conversation service's dispatcher starts an `escalation-<id>` workflow),
 * then, with all N open, submits M corrections through the gateway (`correctAnswer`, a Temporal update on the
 * escalation workflow) and measures how long each takes and how long until a paraphrase of the corrected
 * question is answered from the learned answer. Numbers, not pass/fail.
 *
 *   npm run bench:escalations -- --open 1000 --corrections 200 --concurrency 20
 *                                [--ask-concurrency 20] [--seed 7] [--learn-timeout 60] [--running-timeout 900]
 *                                [--out tests/benchmarks/results/escalations.json]
 *
 * Phase 1 (open): N distinct questions, asked C at a time in a workspace with no knowledge and long SLAs (no
 * timer fires during the run). Measures ask latency, hand-off throughput, and when every escalation is running:
 * its `offered` step is in conversation.escalation_steps (recorded by the dispatcher once Temporal started the
 * run; by the workflow's first activity in cases started before that, which the start breakdown then times).
 *
 * Phase 2 (correct): M of the open escalations (evenly spread over the N) are corrected, C at a time. Each
 * correction's text answers its own question, which is built around two invented product words so every
 * question has its own vocabulary. For each: the correctAnswer wall time, then "time to learn": from the
 * moment correctAnswer returned until a paraphrase of the question, asked through `ask`, is ANSWERED citing the
 * returned learnedAnswer id (asked at once, then with backoff; the first such answer counts). Afterwards each
 * corrected workflow's history splits the correction's time into its parts (update accepted, activities queued
 * and running, workflow tasks in between, the way back).
 *
 * CPU: every phase reports each process's CPU; phase 1 (which lasts until a sample of the escalations has no
 * workflow task left to do, not just until they are offered) also divides the Temporal dev server's and the
 * worker's by the hand-offs (in phase 1 they do nothing else), and the summary sets the three figures with targets
 * beside them: command written → offered p99, the correction round trip (correctAnswer) p99, and CPU per hand-off.
 */
import { insightsEnv } from '../../services/insights/config';
import { Distribution, distribution, intOption, machineSetup, mapConcurrent, prng } from './bench-support';
import { printCpu, trackCpu } from './process-cpu';
import { REPO_ROOT } from '../helpers/repo-root';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { resolveTemporalCli } from '../../deploy/local/temporal-cli';
import { escalationWorkflowId } from '../../workflows/escalation-contract';
import { dataOf } from '../helpers/graphql';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

// ---------------------------------------------------------------------------------------------------------
// Options

interface Options {
  open: number;
  corrections: number;
  concurrency: number;
  askConcurrency: number;
  seed: number;
  learnTimeoutMs: number;
  runningTimeoutMs: number;
  out: string;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      open: { type: 'string', default: '1000' },
      corrections: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '20' },
      'ask-concurrency': { type: 'string' },
      seed: { type: 'string', default: '7' },
      'learn-timeout': { type: 'string', default: '60' },
      'running-timeout': { type: 'string', default: '900' },
      out: { type: 'string', default: path.join(REPO_ROOT, 'tests', 'benchmarks', 'results', 'escalations.json') },
    },
  });
  const open = intOption('open', values.open, 1);
  const corrections = intOption('corrections', values.corrections, 0);
  if (corrections > open) throw new Error(`--corrections (${corrections}) cannot exceed --open (${open})`);
  const concurrency = intOption('concurrency', values.concurrency, 1);
  return {
    open,
    corrections,
    concurrency,
    askConcurrency: values['ask-concurrency'] === undefined ? concurrency : intOption('ask-concurrency', values['ask-concurrency'], 1),
    seed: intOption('seed', values.seed, 0),
    learnTimeoutMs: intOption('learn-timeout', values['learn-timeout'], 1) * 1000,
    runningTimeoutMs: intOption('running-timeout', values['running-timeout'], 1) * 1000,
    out: values.out!,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Questions, paraphrases and corrections

interface Template {
  question: (a: string, b: string) => string;
  paraphrase: (a: string, b: string) => string;
  answer: (a: string, b: string, n: number) => string;
}

/**
 * Each case names two invented words (a feature and a product) that no other case uses, so retrieval can tell
 * the cases apart only by what a real question would carry. The paraphrase keeps the two names and rewords the
 * rest. None mentions a person, so no question is handed off for asking for one.
 */
const TEMPLATES: Template[] = [
  {
    question: (a, b) => `How do I connect ${a} to my ${b} workspace?`,
    paraphrase: (a, b) => `What is the way to link my ${b} workspace with ${a}?`,
    answer: (a, b, n) => `To connect ${a} to ${b}, open Settings > Integrations > ${a}, paste the ${b} access token ending in ${n} and press Connect.`,
  },
  {
    question: (a, b) => `Why does the ${a} report show no rows for ${b}?`,
    paraphrase: (a, b) => `The ${a} report is empty for ${b}, why is that?`,
    answer: (a, b, n) => `The ${a} report only includes ${b} records after the nightly sync; open Reports > ${a} and press Sync now (job ${n}) to refresh it.`,
  },
  {
    question: (a, b) => `Can I export ${a} data from the ${b} dashboard?`,
    paraphrase: (a, b) => `Is it possible to download the ${a} data shown on the ${b} dashboard?`,
    answer: (a, b, n) => `Yes: on the ${b} dashboard open the ${a} panel, choose Export and pick CSV; exports over ${n} rows arrive by email.`,
  },
  {
    question: (a, b) => `Where do I change the ${a} limit for ${b} users?`,
    paraphrase: (a, b) => `How can ${b} users get a different ${a} limit?`,
    answer: (a, b, n) => `Admins change the ${a} limit under Admin > Limits > ${b}; a new limit of up to ${n} applies within a minute.`,
  },
  {
    question: (a, b) => `How do I turn off ${a} notifications in ${b}?`,
    paraphrase: (a, b) => `Can ${a} notifications be switched off for ${b}?`,
    answer: (a, b, n) => `In ${b}, go to Preferences > Notifications and untick ${a}; rule ${n} keeps security alerts on.`,
  },
  {
    question: (a, b) => `What happens to ${a} invoices when ${b} is paused?`,
    paraphrase: (a, b) => `If ${b} gets paused, what becomes of the ${a} invoices?`,
    answer: (a, b, n) => `While ${b} is paused, ${a} invoices are held as drafts and issued together when it resumes, numbered from ${n}.`,
  },
  {
    question: (a, b) => `How do I rename the ${a} folder inside ${b}?`,
    paraphrase: (a, b) => `Is there a way to give the ${a} folder in ${b} a new name?`,
    answer: (a, b, n) => `Open ${b}, right-click the ${a} folder and choose Rename; names may have up to ${n} characters.`,
  },
  {
    question: (a, b) => `Does ${a} sync with ${b} calendars automatically?`,
    paraphrase: (a, b) => `Will ${b} calendars sync to ${a} on their own?`,
    answer: (a, b, n) => `${a} syncs ${b} calendars every ${n} minutes once you enable Calendar sync in ${a} > Connections.`,
  },
];

interface Case {
  index: number;
  question: string;
  paraphrase: string;
  correction: string;
}

function buildCases(count: number, seed: number): Case[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const onsets = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'tr', 'fl', 'st', 'pr', 'gl', 'dr', 'sk'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'io', 'ea', 'ou'];
  const codas = ['n', 'r', 'x', 'l', 'nd', 'st', 'm', 'k', 'th'];
  const used = new Set<string>();
  const word = () => {
    for (;;) {
      let w = '';
      for (let s = 0; s < 3; s++) w += pick(onsets) + pick(vowels);
      w += pick(codas);
      const name = `${w[0]!.toUpperCase()}${w.slice(1)}`;
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
  return Array.from({ length: count }, (_, index) => {
    const template = TEMPLATES[index % TEMPLATES.length]!;
    const a = word();
    const b = word();
    const n = 10 + Math.floor(random() * 990);
    return { index, question: template.question(a, b), paraphrase: template.paraphrase(a, b), correction: template.answer(a, b, n) };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Statistics

const fmt = (ms: number) => `${Number.isFinite(ms) ? ms.toFixed(1) : 'n/a'}`.padStart(9) + ' ms';
const row = (label: string, d: Distribution) =>
  `  ${label.padEnd(42)} p50 ${fmt(d.p50)}  p95 ${fmt(d.p95)}  p99 ${fmt(d.p99)}  max ${fmt(d.max)}  mean ${fmt(d.mean)}  (n=${d.n})`;
const round1 = (x: number) => Math.round(x * 10) / 10;
const perSecond = (count: number, ms: number) => (ms > 0 ? round1(count / (ms / 1000)) : NaN);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs work(i) for i in [0, count), at most `concurrency` at a time. */
const pool = (count: number, concurrency: number, work: (index: number) => Promise<void>) =>
  mapConcurrent(Array.from({ length: count }, (_, index) => index), concurrency, work);

function tally(values: Array<string | null | undefined>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) if (v) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

// ---------------------------------------------------------------------------------------------------------
// What the stack says on stderr (the e2e helper writes every warning and error there as `[process] {json}`)

interface LogTally {
  byKey: Map<string, { count: number; sample: string }>;
  lines: number;
}

function watchStackWarnings(): LogTally {
  const tallyOf: LogTally = { byKey: new Map(), lines: 0 };
  const original = process.stderr.write.bind(process.stderr);
  let buffered = '';
  (process.stderr as { write: typeof process.stderr.write }).write = ((chunk: unknown, ...rest: unknown[]) => {
    try {
      buffered += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const match = /^\[([\w-]+)\] (\{.*)$/.exec(line);
        if (!match) continue;
        let level = '?';
        let msg = line.slice(0, 200);
        try {
          const parsed = JSON.parse(match[2]!) as { level?: number; msg?: string; err?: { message?: string; type?: string } };
          level = ({ 40: 'warn', 50: 'error', 60: 'fatal' } as Record<number, string>)[parsed.level ?? 0] ?? String(parsed.level);
          msg = `${parsed.msg ?? ''}${parsed.err?.message ? `: ${parsed.err.message.slice(0, 160)}` : ''}`;
        } catch {
          // not JSON after all: keep the raw line
        }
        const key = `[${match[1]}] ${level} ${msg}`;
        const entry = tallyOf.byKey.get(key) ?? { count: 0, sample: line.slice(0, 600) };
        entry.count += 1;
        tallyOf.byKey.set(key, entry);
        tallyOf.lines += 1;
      }
    } catch {
      // counting must never break logging
    }
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  return tallyOf;
}

// ---------------------------------------------------------------------------------------------------------
// GraphQL

const ASK = `mutation Ask($input: AskInput!) {
  ask(input: $input) {
    decision handOffReason confidence latencyMs
    conversation { id }
    message { id citations { knowledgeItem { id } } }
  }
}`;

const CORRECT = `mutation Correct($input: CorrectAnswerInput!) {
  correctAnswer(input: $input) { learning learnedAnswer { id } message { id author } }
}`;

interface AskOutcome {
  ok: boolean;
  clientMs: number;
  serverMs: number | null;
  decision: string | null;
  handOffReason: string | null;
  confidence: number | null;
  conversationId: string | null;
  messageId: string | null;
  citedIds: string[];
  error: string | null;
}

function errorText(result: { status: number; errors?: Array<{ message: string; extensions?: { code?: string } }> }): string {
  const first = result.errors?.[0];
  return first ? `${first.extensions?.code ?? 'NO_CODE'}: ${first.message.slice(0, 160)}` : `HTTP ${result.status}`;
}

async function ask(ws: TestWorkspace, text: string): Promise<AskOutcome> {
  const started = performance.now();
  const failed = (error: string): AskOutcome => ({
    ok: false,
    clientMs: performance.now() - started,
    serverMs: null,
    decision: null,
    handOffReason: null,
    confidence: null,
    conversationId: null,
    messageId: null,
    citedIds: [],
    error,
  });
  try {
    const result = await ws.as('widget', ASK, { input: { text } });
    const clientMs = performance.now() - started;
    const data = result.data?.ask;
    if (result.errors?.length || !data) return failed(errorText(result));
    return {
      ok: true,
      clientMs,
      serverMs: data.latencyMs,
      decision: data.decision,
      handOffReason: data.handOffReason,
      confidence: data.confidence,
      conversationId: data.conversation.id,
      messageId: data.message.id,
      citedIds: data.message.citations.map((c: { knowledgeItem: { id: string } | null }) => c.knowledgeItem?.id).filter(Boolean),
      error: null,
    };
  } catch (error) {
    return failed(String(error));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Phase 1: open N escalations

interface Opened {
  caseIndex: number;
  ask: AskOutcome;
  /** Epoch ms when the ask returned (client clock; the database is on this machine). */
  returnedAtEpoch: number;
}

interface TimelinePoint {
  seconds: number;
  asked: number;
  commands: number;
  pending: number;
  offered: number;
}

/** Samples the command table and the offered steps once a second, without overlapping itself. */
function startMonitor(db: Pool, workspaceId: string, startedAt: number, asked: () => number): { points: TimelinePoint[]; stop(): Promise<void> } {
  const points: TimelinePoint[] = [];
  let running: Promise<void> | undefined;
  const sample = async () => {
    const { rows } = await db.query<{ commands: string; pending: string; offered: string }>(
      `SELECT (SELECT count(*) FROM conversation.escalation_commands WHERE workspace_id = $1 AND kind = 'hand_off') AS commands,
              (SELECT count(*) FROM conversation.escalation_commands WHERE workspace_id = $1 AND dispatched_at IS NULL) AS pending,
              (SELECT count(*) FROM conversation.escalation_steps WHERE workspace_id = $1 AND kind = 'offered') AS offered`,
      [workspaceId],
    );
    const r = rows[0]!;
    points.push({ seconds: round1((performance.now() - startedAt) / 1000), asked: asked(), commands: Number(r.commands), pending: Number(r.pending), offered: Number(r.offered) });
  };
  const timer = setInterval(() => {
    if (running) return;
    running = sample()
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
  }, 1000);
  return {
    points,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

function printTimeline(points: TimelinePoint[], done: string): void {
  if (points.length === 0) return;
  const every = Math.max(1, Math.ceil(points.length / 30));
  console.log(`  timeline (s: ${done} / hand-off commands written / commands not yet dispatched / offered steps):`);
  const shown = points.filter((_, i) => i % every === 0 || i === points.length - 1);
  for (const p of shown) console.log(`    ${p.seconds.toFixed(0).padStart(5)} s  ${String(p.asked).padStart(6)} ${String(p.commands).padStart(6)} ${String(p.pending).padStart(6)} ${String(p.offered).padStart(6)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Phase 2: corrections and time to learn

interface Correction {
  caseIndex: number;
  conversationId: string;
  messageId: string;
  sentAtEpoch: number;
  latencyMs: number;
  ok: boolean;
  error: string | null;
  learning: string | null;
  learnedAnswerId: string | null;
  /** From correctAnswer's return until the paraphrase was answered from the learned answer. */
  learnMs: number | null;
  /** From sending the correction until then. */
  sendToServedMs: number | null;
  learnAsks: number;
  servedAsFirstCitation: boolean | null;
  servedConfidence: number | null;
  /** When not served: what the last paraphrase ask did. */
  lastMiss: string | null;
  askErrors: number;
}

async function waitUntilLearned(ws: TestWorkspace, paraphrase: string, learnedAnswerId: string, returnedAt: number, timeoutMs: number, correction: Correction): Promise<void> {
  let delay = 100;
  for (;;) {
    const outcome = await ask(ws, paraphrase);
    correction.learnAsks += 1;
    if (!outcome.ok) correction.askErrors += 1;
    if (outcome.ok && outcome.decision === 'ANSWERED' && outcome.citedIds.includes(learnedAnswerId)) {
      const now = performance.now();
      correction.learnMs = now - returnedAt;
      correction.sendToServedMs = correction.learnMs + correction.latencyMs;
      correction.servedAsFirstCitation = outcome.citedIds[0] === learnedAnswerId;
      correction.servedConfidence = outcome.confidence;
      return;
    }
    correction.lastMiss = outcome.ok
      ? `${outcome.decision}${outcome.handOffReason ? `/${outcome.handOffReason}` : ''} confidence ${outcome.confidence?.toFixed(3)}${outcome.decision === 'ANSWERED' ? ' citing another item' : ''}`
      : `error ${outcome.error}`;
    if (performance.now() - returnedAt > timeoutMs) return;
    await sleep(delay);
    delay = Math.min(delay * 2, 5_000);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Where a correction's time goes, from its workflow's history

interface Breakdown {
  /** Sent by the benchmark → update accepted in the workflow's history (gateway, conversation service, Temporal, validator). */
  toAcceptedMs: number;
  learnQueuedMs: number;
  learnRunMs: number;
  /** Learn activity completed → deliver activity scheduled (a workflow task). */
  betweenActivitiesMs: number;
  deliverQueuedMs: number;
  deliverRunMs: number;
  /** Deliver completed → update completed (a workflow task). */
  toCompletedMs: number;
  /** Update completed → correctAnswer returned to the benchmark (update result to the caller, DB reads, gateway). */
  backToCallerMs: number;
  activityAttempts: number;
  /**
   * Corrections applied by local activities (patch 'correction-as-local-activities'): sent → the workflow task that
   * took the update started, and that task's run (validator, both calls, markers). The queued/running/WFT rows
   * above are then absent (NaN), and the update's accepted and completed events are both written at its end.
   */
  toUpdateTaskMs: number;
  updateTaskMs: number;
}

type Timestamp = { seconds?: { toNumber?: () => number } | number | string | null; nanos?: number | null } | null | undefined;
const msOf = (t: Timestamp) => (t ? Number(typeof t.seconds === 'object' && t.seconds?.toNumber ? t.seconds.toNumber() : (t.seconds ?? 0)) * 1000 + (t.nanos ?? 0) / 1e6 : NaN);

async function breakdownOf(temporal: TemporalClient, correction: Correction): Promise<Breakdown | null> {
  const history = await temporal.workflow.getHandle(escalationWorkflowId(correction.conversationId)).fetchHistory();
  const events = history.events ?? [];
  const accepted = events.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  const completed = events.find((e) => e.workflowExecutionUpdateCompletedEventAttributes);
  const activity = (name: string) => {
    const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name);
    if (!scheduled) return null;
    const id = Number(scheduled.eventId);
    const started = events.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === id);
    const done = events.find((e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === id);
    return { scheduled: msOf(scheduled.eventTime), started: msOf(started?.eventTime), done: msOf(done?.eventTime), attempt: started?.activityTaskStartedEventAttributes?.attempt ?? 1 };
  };
  const learn = activity('learnFromCorrection');
  const deliver = activity('deliverCorrection');
  if (!accepted || !completed) return null;
  const returnedAtEpoch = correction.sentAtEpoch + correction.latencyMs;
  if (!learn || !deliver) {
    // Local activities: the task that completed with the update's events ran everything.
    const acceptedAt = events.indexOf(accepted);
    const taskStarted = events.slice(0, acceptedAt).reverse().find((e) => e.workflowTaskStartedEventAttributes);
    const taskCompleted = events.slice(0, acceptedAt).reverse().find((e) => e.workflowTaskCompletedEventAttributes);
    const localActivities = events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;
    if (!taskStarted || !taskCompleted || localActivities < 2) return null;
    return {
      toAcceptedMs: msOf(accepted.eventTime) - correction.sentAtEpoch,
      learnQueuedMs: NaN,
      learnRunMs: NaN,
      betweenActivitiesMs: NaN,
      deliverQueuedMs: NaN,
      deliverRunMs: NaN,
      toCompletedMs: NaN,
      backToCallerMs: returnedAtEpoch - msOf(completed.eventTime),
      activityAttempts: 2,
      toUpdateTaskMs: msOf(taskStarted.eventTime) - correction.sentAtEpoch,
      updateTaskMs: msOf(taskCompleted.eventTime) - msOf(taskStarted.eventTime),
    };
  }
  return {
    toAcceptedMs: msOf(accepted.eventTime) - correction.sentAtEpoch,
    learnQueuedMs: learn.started - learn.scheduled,
    learnRunMs: learn.done - learn.started,
    betweenActivitiesMs: deliver.scheduled - learn.done,
    deliverQueuedMs: deliver.started - deliver.scheduled,
    deliverRunMs: deliver.done - deliver.started,
    toCompletedMs: msOf(completed.eventTime) - deliver.done,
    backToCallerMs: returnedAtEpoch - msOf(completed.eventTime),
    activityAttempts: learn.attempt + deliver.attempt,
    toUpdateTaskMs: NaN,
    updateTaskMs: NaN,
  };
}

/** Where an escalation's start goes, from its history: command written → workflow started → first task → offered. */
interface StartBreakdown {
  /** Hand-off command written (in the ask's transaction) → WorkflowExecutionStarted: the dispatcher's real lag. */
  commandToStartedMs: number;
  /** Started → the worker picked up the first workflow task. */
  firstTaskQueuedMs: number;
  firstTaskRunMs: number;
  /** recordEscalationStep('offered'): waiting for a worker slot, then running (a call to the conversation service). */
  offeredActivityQueuedMs: number;
  offeredActivityRunMs: number;
  /** Command written → the offered activity completed. */
  commandToOfferedDoneMs: number;
}

async function startBreakdownOf(temporal: TemporalClient, conversationId: string, commandWrittenAt: number): Promise<StartBreakdown | null> {
  const history = await temporal.workflow.getHandle(escalationWorkflowId(conversationId)).fetchHistory();
  const events = history.events ?? [];
  const started = events.find((e) => e.workflowExecutionStartedEventAttributes);
  const taskStarted = events.find((e) => e.workflowTaskStartedEventAttributes);
  const taskCompleted = events.find((e) => e.workflowTaskCompletedEventAttributes);
  if (!started || !taskStarted || !taskCompleted) return null;
  const common = {
    commandToStartedMs: msOf(started.eventTime) - commandWrittenAt,
    firstTaskQueuedMs: msOf(taskStarted.eventTime) - msOf(started.eventTime),
    firstTaskRunMs: msOf(taskCompleted.eventTime) - msOf(taskStarted.eventTime),
  };
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordEscalationStep');
  // Offered by the dispatcher (input.offeredByDispatcher): no activity in the history; its time is in the database.
  if (!scheduled) return { ...common, offeredActivityQueuedMs: NaN, offeredActivityRunMs: NaN, commandToOfferedDoneMs: NaN };
  const id = Number(scheduled.eventId);
  const activityStarted = events.find((e) => Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === id);
  const activityDone = events.find((e) => Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) === id);
  if (!activityStarted || !activityDone) return null;
  return {
    ...common,
    offeredActivityQueuedMs: msOf(activityStarted.eventTime) - msOf(scheduled.eventTime),
    offeredActivityRunMs: msOf(activityDone.eventTime) - msOf(activityStarted.eventTime),
    commandToOfferedDoneMs: msOf(activityDone.eventTime) - commandWrittenAt,
  };
}

const START_HISTORY_SAMPLE = 250;

// ---------------------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const options = readOptions();
  const warnings = watchStackWarnings();
  const runStarted = performance.now();
  const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const cases = buildCases(options.open, options.seed);
  // The production default, not the e2e helper's 0, so every call is not also an authentication round trip.
  const stackEnv = { AUTH_CACHE_TTL_MS: '30000', RELAY_INTERVAL_MS: String(insightsEnv.RELAY_INTERVAL_MS.parse(undefined)) };
  const sla = { firstResponseMs: 3_600_000, reminderBeforeMs: 600_000, resolutionMs: 7_200_000, reopenWindowMs: 3_600_000 };

  let env: TestStack | undefined;
  let db: Pool | undefined;
  let connection: Connection | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await connection?.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await env?.stop();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping the stack`);
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const anomalies: string[] = [];
  try {
    const startedStack = performance.now();
    env = await startTestStack(stackEnv);
    const stackSeconds = (performance.now() - startedStack) / 1000;
    db = new Pool({ connectionString: env.databaseUrl, max: 3 });
    db.on('error', () => undefined);
    connection = await Connection.connect({ address: env.temporalAddress });
    const temporal = new TemporalClient({ connection });
    const postgresVersion = (await db.query<{ version: string }>('SELECT version()')).rows[0]!.version;
    const cli = resolveTemporalCli(REPO_ROOT, process.env);
    const temporalVersion = cli
      ? (await promisify(execFile)(cli, ['--version']).then(({ stdout }) => stdout.trim(), (error: Error) => `unknown (${error.message})`))
      : 'not found';
    const ws = await createTestWorkspace(env, 'Escalations benchmark');
    dataOf(
      await ws.as('admin', 'mutation($input: UpdateEscalationSettingsInput!) { updateEscalationSettings(input: $input) { firstResponseMs } }', { input: sla }),
    );

    const cpus = os.cpus();
    console.log('== setup');
    console.log(`  node               ${process.version} (${process.platform}/${process.arch})`);
    console.log(`  cpu                ${cpus[0]?.model ?? 'unknown'} x ${cpus.length}`);
    console.log(`  memory             ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free`);
    console.log(`  postgres           ${postgresVersion}`);
    console.log(`  temporal cli       ${temporalVersion.replace(/\n/g, '; ')} (${cli ?? 'none'})`);
    console.log(`  database           ${env.databaseUrl}`);
    console.log(`  stack              real processes from dist/, LOG_LEVEL=warn, ${JSON.stringify(stackEnv)}, started in ${stackSeconds.toFixed(1)} s`);
    console.log(`  answer writer      ${process.env.OPENAI_API_KEY ? `model ${process.env.OPENAI_MODEL ?? 'gpt-4o-mini'}` : 'extractive (no OPENAI_API_KEY)'}`);
    console.log(`  escalation SLAs    ${JSON.stringify(sla)} (no timer fires during the run)`);
    console.log(`  open (N)           ${options.open}, asked ${options.askConcurrency} at a time, in a workspace with no knowledge`);
    console.log(`  corrections (M)    ${options.corrections}, ${options.concurrency} at a time (C); time to learn polled up to ${options.learnTimeoutMs / 1000} s each`);
    console.log(`  seed               ${options.seed}`);

    // ----- Phase 1: open N escalations
    const cpuOpen = trackCpu(env);
    const openStarted = performance.now();
    const opened: Opened[] = new Array(options.open);
    let asked = 0;
    const monitor = startMonitor(db, ws.id, openStarted, () => asked);
    await pool(options.open, options.askConcurrency, async (i) => {
      const outcome = await ask(ws, cases[i]!.question);
      opened[i] = { caseIndex: i, ask: outcome, returnedAtEpoch: Date.now() };
      asked += 1;
    });
    const asksDone = performance.now();
    const handedOff = opened.filter((o) => o.ask.ok && o.ask.decision === 'HANDED_OFF');
    const openIds = handedOff.map((o) => o.ask.conversationId!);
    let offered = 0;
    let offeredWhenAsksDone: number | null = null;
    let allRunningAt: number | null = null;
    for (;;) {
      const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM conversation.escalation_steps WHERE kind = 'offered' AND workspace_id = $1`, [ws.id]);
      offered = Number(rows[0]!.n);
      offeredWhenAsksDone ??= offered;
      if (offered >= openIds.length) {
        allRunningAt = performance.now();
        break;
      }
      if (performance.now() - asksDone > options.runningTimeoutMs) break;
      await sleep(250);
    }
    // Offered is not the end of a hand-off's work: the workflow's first task (and, for cases that record the step
    // themselves, the task after it) may still wait in Temporal's queue. Phase 1's CPU counts until those are done
    // too, judged on an even sample plus the last hand-offs (tasks are taken roughly in order), so that the CPU per
    // hand-off holds all of it. The sample is small and asked once a second: the asking is Temporal's work too.
    const idleTaskSample = [...new Set([...openIds.filter((_, i) => i % 50 === 0), ...openIds.slice(-10)])];
    let tasksPending = new Set(idleTaskSample);
    const tasksDeadline = performance.now() + options.runningTimeoutMs;
    while (tasksPending.size > 0 && performance.now() < tasksDeadline) {
      const still = new Set<string>();
      const ids = [...tasksPending];
      await pool(ids.length, 4, async (i) => {
        const done = await temporal.workflow
          .getHandle(escalationWorkflowId(ids[i]!))
          .describe()
          .then((d) => !d.raw.pendingWorkflowTask && d.historyLength > 3, () => false);
        if (!done) still.add(ids[i]!);
      });
      tasksPending = still;
      if (tasksPending.size > 0) await sleep(1_000);
    }
    const firstTasksDoneAt = tasksPending.size === 0 ? performance.now() : null;
    await monitor.stop();
    const cpuOpenUse = cpuOpen.stop();

    const { rows: lagRows } = await db.query<{ conversation_id: string; created: number; dispatched: number | null; offered: number | null }>(
      `SELECT c.conversation_id,
              extract(epoch FROM c.created_at) * 1000 AS created,
              extract(epoch FROM c.dispatched_at) * 1000 AS dispatched,
              (SELECT extract(epoch FROM min(s.created_at)) * 1000 FROM conversation.escalation_steps s WHERE s.conversation_id = c.conversation_id AND s.kind = 'offered') AS offered
         FROM conversation.escalation_commands c
        WHERE c.workspace_id = $1 AND c.kind = 'hand_off' AND c.conversation_id = ANY($2::uuid[])`,
      [ws.id, openIds],
    );
    const returnedAt = new Map(handedOff.map((o) => [o.ask.conversationId!, o.returnedAtEpoch]));
    const dispatchLag = lagRows.filter((r) => r.dispatched !== null).map((r) => Number(r.dispatched) - Number(r.created));
    const commandToOffered = lagRows.filter((r) => r.offered !== null).map((r) => Number(r.offered) - Number(r.created));
    const askReturnToOffered = lagRows.filter((r) => r.offered !== null).map((r) => Number(r.offered) - returnedAt.get(r.conversation_id)!);
    // The dispatcher stamps a whole batch with its transaction's now(): consecutive stamps are batch starts, so
    // their spacing (minus the 200 ms pause between passes) over the batch size is its time per command.
    const { rows: batchRows } = await db.query<{ at: number; n: string }>(
      `SELECT extract(epoch FROM dispatched_at) * 1000 AS at, count(*) AS n FROM conversation.escalation_commands
        WHERE workspace_id = $1 AND conversation_id = ANY($2::uuid[]) AND dispatched_at IS NOT NULL GROUP BY dispatched_at ORDER BY dispatched_at`,
      [ws.id, openIds],
    );
    const batchSizes = batchRows.map((r) => Number(r.n));
    const perCommandMs = batchRows.slice(0, -1).map((r, i) => (Number(batchRows[i + 1]!.at) - Number(r.at) - 200) / Number(r.n)).filter((ms) => ms > 0);
    // Histories of an even sample of the escalations (each a round trip to the dev server; kept out of the timings above).
    const sampleRows = lagRows.filter((_, i, all) => all.length <= START_HISTORY_SAMPLE || i % Math.ceil(all.length / START_HISTORY_SAMPLE) === 0);
    const starts: StartBreakdown[] = [];
    await pool(sampleRows.length, 8, async (i) => {
      const b = await startBreakdownOf(temporal, sampleRows[i]!.conversation_id, Number(sampleRows[i]!.created)).catch(() => null);
      if (b) starts.push(b);
    });
    const runningCount = await temporal.workflow
      .count(`WorkflowType = 'escalation' AND ExecutionStatus = 'Running'`)
      .then((c) => c.count, (error: Error) => `count failed: ${error.message}`);
    const { rows: pendingRows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM conversation.escalation_commands WHERE workspace_id = $1 AND dispatched_at IS NULL`, [ws.id]);

    const openWallMs = asksDone - openStarted;
    const cpuOf = (name: string) => cpuOpenUse.byProcess[name]?.cpuSeconds ?? 0;
    const perHandOffMs = (seconds: number) => (handedOff.length ? round1((seconds * 1000) / handedOff.length) : NaN);
    const open = {
      asks: options.open,
      askConcurrency: options.askConcurrency,
      handedOff: handedOff.length,
      decisions: tally(opened.map((o) => (o.ask.ok ? `${o.ask.decision}${o.ask.handOffReason ? `/${o.ask.handOffReason}` : ''}` : null))),
      askErrors: opened.filter((o) => !o.ask.ok).length,
      askErrorSamples: [...new Set(opened.filter((o) => !o.ask.ok).map((o) => o.ask.error!))].slice(0, 5),
      askWallSeconds: round1(openWallMs / 1000),
      handOffsPerSecond: perSecond(handedOff.length, openWallMs),
      askClientMs: distribution(opened.filter((o) => o.ask.ok).map((o) => o.ask.clientMs)),
      askServerMs: distribution(opened.filter((o) => o.ask.ok).map((o) => o.ask.serverMs!).filter((x) => x !== null)),
      allRunning: allRunningAt !== null,
      offered,
      /** First ask sent → every escalation's offered step recorded. */
      secondsUntilAllRunning: allRunningAt === null ? null : round1((allRunningAt - openStarted) / 1000),
      /** Last ask returned → every escalation's offered step recorded (the backlog draining). */
      secondsFromLastAskToAllRunning: allRunningAt === null ? null : round1((allRunningAt - asksDone) / 1000),
      /** First ask sent → the sampled escalations' workflow tasks all done (phase 1's CPU is counted until then). */
      secondsUntilWorkflowTasksDone: firstTasksDoneAt === null ? null : round1((firstTasksDoneAt - openStarted) / 1000),
      workflowTaskSample: idleTaskSample.length,
      escalationsRunningPerSecond: allRunningAt === null ? null : perSecond(openIds.length, allRunningAt - openStarted),
      /** Escalations offered per second between the last ask returning and all running: the backlog's drain rate. */
      drainPerSecond: allRunningAt === null || offeredWhenAsksDone === null ? null : perSecond(openIds.length - offeredWhenAsksDone, allRunningAt - asksDone),
      offeredWhenAsksDone,
      dispatcherBatches: batchSizes.length,
      dispatcherBatchSizes: batchSizes,
      dispatcherMsPerCommand: distribution(perCommandMs),
      dispatchLagMs: distribution(dispatchLag),
      startBreakdown: {
        n: starts.length,
        of: sampleRows.length,
        commandToStartedMs: distribution(starts.map((b) => b.commandToStartedMs)),
        firstTaskQueuedMs: distribution(starts.map((b) => b.firstTaskQueuedMs)),
        firstTaskRunMs: distribution(starts.map((b) => b.firstTaskRunMs)),
        offeredActivityQueuedMs: distribution(starts.map((b) => b.offeredActivityQueuedMs).filter(Number.isFinite)),
        offeredActivityRunMs: distribution(starts.map((b) => b.offeredActivityRunMs).filter(Number.isFinite)),
        commandToOfferedDoneMs: distribution(starts.map((b) => b.commandToOfferedDoneMs).filter(Number.isFinite)),
      },
      commandToOfferedMs: distribution(commandToOffered),
      askReturnedToOfferedMs: distribution(askReturnToOffered),
      temporalRunningEscalations: runningCount,
      commandsPendingAfter: Number(pendingRows[0]!.n),
      maxPendingCommands: Math.max(0, ...monitor.points.map((p) => p.pending)),
      timeline: monitor.points,
      cpu: cpuOpenUse,
      /** Phase 1's CPU over its hand-offs: Temporal and the worker do nothing else meanwhile (all ms per hand-off). */
      cpuPerHandOffMs: {
        temporalDevServer: perHandOffMs(cpuOf('temporal dev server')),
        worker: perHandOffMs(cpuOf('worker')),
        temporalPlusWorker: perHandOffMs(cpuOf('temporal dev server') + cpuOf('worker')),
        conversation: perHandOffMs(cpuOf('conversation')),
      },
    };

    console.log(`\n== phase 1: open ${options.open} escalations (asks ${options.askConcurrency} at a time)`);
    console.log(`  asks               ${open.asks} in ${open.askWallSeconds} s = ${perSecond(open.asks, openWallMs)} asks/s; handed off ${open.handedOff} = ${open.handOffsPerSecond} hand-offs/s; errors ${open.askErrors}`);
    console.log(`  decisions          ${JSON.stringify(open.decisions)}`);
    if (open.askErrorSamples.length) console.log(`  ask errors         ${open.askErrorSamples.join(' | ')}`);
    console.log(row('ask client wall time', open.askClientMs));
    console.log(row('ask server latencyMs', open.askServerMs));
    console.log(row('hand-off command written → dispatched*', open.dispatchLagMs));
    console.log(row('hand-off command written → offered', open.commandToOfferedMs));
    console.log(row('ask returned → offered', open.askReturnedToOfferedMs));
    console.log(
      open.allRunning
        ? `  all ${openIds.length} running  ${open.secondsUntilAllRunning} s after the first ask (${open.escalationsRunningPerSecond} escalations/s), ${open.secondsFromLastAskToAllRunning} s after the last ask returned`
        : `  NOT all running    only ${offered} of ${openIds.length} offered ${options.runningTimeoutMs / 1000} s after the last ask`,
    );
    console.log(
      `  dispatcher         ${open.dispatcherBatches} batches (${open.dispatcherBatchSizes.join(', ')}); ${open.offeredWhenAsksDone} offered when the last ask returned, then ${open.drainPerSecond} offered/s while the backlog drained`,
    );
    console.log(row('dispatcher time per command (batch mean)', open.dispatcherMsPerCommand));
    console.log(`  where an escalation's start goes (histories of ${open.startBreakdown.n} of ${open.startBreakdown.of} sampled escalations):`);
    console.log(row('command written → workflow started', open.startBreakdown.commandToStartedMs));
    console.log(row('first workflow task queued', open.startBreakdown.firstTaskQueuedMs));
    console.log(row('first workflow task running', open.startBreakdown.firstTaskRunMs));
    console.log(row("'offered' activity queued", open.startBreakdown.offeredActivityQueuedMs));
    console.log(row("'offered' activity running", open.startBreakdown.offeredActivityRunMs));
    console.log(row("command written → 'offered' activity done", open.startBreakdown.commandToOfferedDoneMs));
    console.log(`  temporal           ${open.temporalRunningEscalations} escalation workflows running (visibility count); ${open.commandsPendingAfter} commands not dispatched; backlog peaked at ${open.maxPendingCommands}`);
    console.log('  * dispatched_at is now() of the dispatcher\'s transaction, i.e. when its batch was picked up, not when each command reached Temporal');
    printTimeline(open.timeline, 'asks returned');
    console.log(`  workflow tasks     the first tasks of ${open.workflowTaskSample} sampled escalations done ${open.secondsUntilWorkflowTasksDone ?? 'n/a (timed out)'} s after the first ask (phase 1's CPU runs until then)`);
    printCpu('phase 1', open.cpu);
    console.log(
      `  cpu per hand-off   Temporal dev server ${open.cpuPerHandOffMs.temporalDevServer} ms + worker ${open.cpuPerHandOffMs.worker} ms = ${open.cpuPerHandOffMs.temporalPlusWorker} ms (conversation, asks included: ${open.cpuPerHandOffMs.conversation} ms)`,
    );
    if (!open.allRunning) anomalies.push(`phase 1: only ${offered} of ${openIds.length} escalations offered within ${options.runningTimeoutMs / 1000} s of the last ask`);
    if (open.askErrors) anomalies.push(`phase 1: ${open.askErrors} ask errors: ${open.askErrorSamples.join(' | ')}`);
    if (handedOff.length !== options.open - open.askErrors) anomalies.push(`phase 1: ${options.open - open.askErrors - handedOff.length} asks were not handed off: ${JSON.stringify(open.decisions)}`);

    // ----- Phase 2: M corrections with all N open
    const targets = Array.from({ length: Math.min(options.corrections, handedOff.length) }, (_, i) => handedOff[Math.floor((i * handedOff.length) / Math.max(1, options.corrections))]!);
    const corrections: Correction[] = [];
    const learning: Array<Promise<void>> = [];
    let correctionsReturned = 0;
    const cpuCorrect = trackCpu(env);
    const correctStarted = performance.now();
    const monitor2 = startMonitor(db, ws.id, correctStarted, () => correctionsReturned);
    await pool(targets.length, options.concurrency, async (i) => {
      const target = targets[i]!;
      const theCase = cases[target.caseIndex]!;
      const correction: Correction = {
        caseIndex: target.caseIndex,
        conversationId: target.ask.conversationId!,
        messageId: target.ask.messageId!,
        sentAtEpoch: Date.now(),
        latencyMs: 0,
        ok: false,
        error: null,
        learning: null,
        learnedAnswerId: null,
        learnMs: null,
        sendToServedMs: null,
        learnAsks: 0,
        servedAsFirstCitation: null,
        servedConfidence: null,
        lastMiss: null,
        askErrors: 0,
      };
      corrections.push(correction);
      const sent = performance.now();
      try {
        const result = await ws.as('agent', CORRECT, { input: { messageId: correction.messageId, correctedText: theCase.correction } });
        correction.latencyMs = performance.now() - sent;
        const data = result.data?.correctAnswer;
        if (result.errors?.length || !data) correction.error = errorText(result);
        else {
          correction.ok = true;
          correction.learning = data.learning;
          correction.learnedAnswerId = data.learnedAnswer.id;
        }
      } catch (error) {
        correction.latencyMs = performance.now() - sent;
        correction.error = String(error);
      }
      correctionsReturned += 1;
      // Time to learn runs beside the corrections, not inside the C slots.
      if (correction.ok) learning.push(waitUntilLearned(ws, theCase.paraphrase, correction.learnedAnswerId!, performance.now(), options.learnTimeoutMs, correction));
    });
    const correctionsDone = performance.now();
    await Promise.all(learning);
    const learningDone = performance.now();
    await monitor2.stop();
    const cpuCorrectUse = cpuCorrect.stop();

    const okCorrections = corrections.filter((c) => c.ok);
    const served = okCorrections.filter((c) => c.learnMs !== null);
    const correctWallMs = correctionsDone - correctStarted;

    // Where the time went, from each corrected workflow's history.
    const breakdowns: Breakdown[] = [];
    let breakdownFailures = 0;
    await pool(okCorrections.length, 4, async (i) => {
      const b = await breakdownOf(temporal, okCorrections[i]!).catch(() => null);
      if (b) breakdowns.push(b);
      else breakdownFailures += 1;
    });

    const { rows: checkRows } = await db.query<{ agent_messages: string; learned: string; events: string; steps: string; pending: string; handed_off_total: string }>(
      `SELECT (SELECT count(*) FROM conversation.messages WHERE workspace_id = $1 AND author = 'agent') AS agent_messages,
              (SELECT count(*) FROM knowledge.knowledge_items WHERE workspace_id = $1 AND kind = 'learned_answer') AS learned,
              (SELECT count(*) FROM knowledge.learning_events WHERE workspace_id = $1) AS events,
              (SELECT string_agg(kind || '=' || n, ', ' ORDER BY kind) FROM (SELECT kind, count(*) AS n FROM conversation.escalation_steps WHERE workspace_id = $1 GROUP BY kind) k) AS steps,
              (SELECT count(*) FROM conversation.escalation_commands WHERE workspace_id = $1 AND dispatched_at IS NULL) AS pending,
              (SELECT count(*) FROM conversation.conversations WHERE workspace_id = $1 AND status = 'handed_off') AS handed_off_total`,
      [ws.id],
    );
    const checks = checkRows[0]!;
    const runningAfter = await temporal.workflow
      .count(`WorkflowType = 'escalation' AND ExecutionStatus = 'Running'`)
      .then((c) => c.count, (error: Error) => `count failed: ${error.message}`);

    const correct = {
      corrections: targets.length,
      concurrency: options.concurrency,
      ok: okCorrections.length,
      errors: corrections.length - okCorrections.length,
      errorCounts: tally(corrections.map((c) => c.error?.split(':')[0])),
      errorSamples: [...new Set(corrections.filter((c) => c.error).map((c) => c.error!))].slice(0, 5),
      learning: tally(okCorrections.map((c) => c.learning)),
      wallSeconds: round1(correctWallMs / 1000),
      correctionsPerSecond: perSecond(okCorrections.length, correctWallMs),
      correctAnswerMs: distribution(okCorrections.map((c) => c.latencyMs)),
      failedCorrectAnswerMs: distribution(corrections.filter((c) => !c.ok).map((c) => c.latencyMs)),
      served: served.length,
      notServed: okCorrections.length - served.length,
      notServedSamples: okCorrections.filter((c) => c.learnMs === null).slice(0, 5).map((c) => ({ question: cases[c.caseIndex]!.question, paraphrase: cases[c.caseIndex]!.paraphrase, lastMiss: c.lastMiss })),
      servedOnFirstAsk: served.filter((c) => c.learnAsks === 1).length,
      servedAsFirstCitation: served.filter((c) => c.servedAsFirstCitation).length,
      servedConfidence: distribution(served.map((c) => c.servedConfidence ?? NaN).filter(Number.isFinite)),
      learnAskErrors: okCorrections.reduce((s, c) => s + c.askErrors, 0),
      learnAsks: okCorrections.reduce((s, c) => s + c.learnAsks, 0),
      timeToLearnMs: distribution(served.map((c) => c.learnMs!)),
      sendToServedMs: distribution(served.map((c) => c.sendToServedMs!)),
      secondsUntilAllServed: round1((learningDone - correctStarted) / 1000),
      servedPerSecond: perSecond(served.length, learningDone - correctStarted),
      breakdown: {
        n: breakdowns.length,
        failures: breakdownFailures,
        activityRetries: breakdowns.filter((b) => b.activityAttempts > 2).length,
        toAcceptedMs: distribution(breakdowns.map((b) => b.toAcceptedMs).filter(Number.isFinite)),
        learnQueuedMs: distribution(breakdowns.map((b) => b.learnQueuedMs).filter(Number.isFinite)),
        learnRunMs: distribution(breakdowns.map((b) => b.learnRunMs).filter(Number.isFinite)),
        betweenActivitiesMs: distribution(breakdowns.map((b) => b.betweenActivitiesMs).filter(Number.isFinite)),
        deliverQueuedMs: distribution(breakdowns.map((b) => b.deliverQueuedMs).filter(Number.isFinite)),
        deliverRunMs: distribution(breakdowns.map((b) => b.deliverRunMs).filter(Number.isFinite)),
        toCompletedMs: distribution(breakdowns.map((b) => b.toCompletedMs).filter(Number.isFinite)),
        backToCallerMs: distribution(breakdowns.map((b) => b.backToCallerMs).filter(Number.isFinite)),
        toUpdateTaskMs: distribution(breakdowns.map((b) => b.toUpdateTaskMs).filter(Number.isFinite)),
        updateTaskMs: distribution(breakdowns.map((b) => b.updateTaskMs).filter(Number.isFinite)),
      },
      afterwards: {
        agentMessages: Number(checks.agent_messages),
        learnedAnswers: Number(checks.learned),
        learningEvents: Number(checks.events),
        escalationSteps: checks.steps,
        commandsPending: Number(checks.pending),
        handedOffConversations: Number(checks.handed_off_total),
        temporalRunningEscalations: runningAfter,
      },
      timeline: monitor2.points,
      cpu: cpuCorrectUse,
    };

    console.log(`\n== phase 2: ${targets.length} corrections, ${options.concurrency} at a time, with ${openIds.length} escalations open`);
    console.log(`  corrections        ${correct.ok} ok in ${correct.wallSeconds} s = ${correct.correctionsPerSecond} corrections/s; errors ${correct.errors} ${JSON.stringify(correct.errorCounts)}; learning ${JSON.stringify(correct.learning)}`);
    if (correct.errorSamples.length) console.log(`  correction errors  ${correct.errorSamples.join(' | ')}`);
    console.log(row('correctAnswer client wall time', correct.correctAnswerMs));
    if (correct.errors) console.log(row('failed correctAnswer wall time', correct.failedCorrectAnswerMs));
    console.log(row('time to learn (returned → served)', correct.timeToLearnMs));
    console.log(row('sent → served', correct.sendToServedMs));
    console.log(
      `  served             ${correct.served} of ${correct.ok} (${correct.servedOnFirstAsk} on the first paraphrase ask, ${correct.servedAsFirstCitation} as the first citation); ` +
        `${correct.learnAsks} paraphrase asks, ${correct.learnAskErrors} failed; all served ${correct.secondsUntilAllServed} s after the first correction was sent (${correct.servedPerSecond} served/s)`,
    );
    const conf = correct.servedConfidence;
    console.log(`  confidence served  p50 ${conf.p50.toFixed(3)}  p95 ${conf.p95.toFixed(3)}  min ${conf.min.toFixed(3)}  max ${conf.max.toFixed(3)} (threshold 0.2 until a topic has 20 decisive outcomes)`);
    for (const miss of correct.notServedSamples) console.log(`  not served: "${miss.paraphrase}" (learned from "${miss.question}"): last ${miss.lastMiss}`);
    console.log(`\n  where a correction's time goes (from ${breakdowns.length} workflow histories; ${breakdownFailures} unreadable; ${correct.breakdown.activityRetries} with an activity retry):`);
    console.log(row('sent → update accepted', correct.breakdown.toAcceptedMs));
    console.log(row('learnFromCorrection queued', correct.breakdown.learnQueuedMs));
    console.log(row('learnFromCorrection running', correct.breakdown.learnRunMs));
    console.log(row('learned → deliver scheduled (WFT)', correct.breakdown.betweenActivitiesMs));
    console.log(row('deliverCorrection queued', correct.breakdown.deliverQueuedMs));
    console.log(row('deliverCorrection running', correct.breakdown.deliverRunMs));
    console.log(row('delivered → update completed (WFT)', correct.breakdown.toCompletedMs));
    console.log(row('sent → task taking the update started', correct.breakdown.toUpdateTaskMs));
    console.log(row('that task (both local activities)', correct.breakdown.updateTaskMs));
    console.log(row('update completed → returned', correct.breakdown.backToCallerMs));
    console.log(
      `  afterwards         ${correct.afterwards.agentMessages} agent messages, ${correct.afterwards.learnedAnswers} learned answers, ${correct.afterwards.learningEvents} learning events; ` +
        `steps ${correct.afterwards.escalationSteps}; ${correct.afterwards.commandsPending} commands pending; ${correct.afterwards.handedOffConversations} handed-off conversations; ` +
        `${correct.afterwards.temporalRunningEscalations} escalation workflows running`,
    );
    printTimeline(correct.timeline, 'corrections returned');
    printCpu('phase 2', correct.cpu);
    if (correct.errors) anomalies.push(`phase 2: ${correct.errors} corrections failed: ${correct.errorSamples.join(' | ')}`);
    if (correct.notServed) anomalies.push(`phase 2: ${correct.notServed} learned answers not served within ${options.learnTimeoutMs / 1000} s`);
    if (correct.afterwards.agentMessages !== okCorrections.length) anomalies.push(`phase 2: ${correct.afterwards.agentMessages} agent messages for ${okCorrections.length} corrections`);
    if (correct.afterwards.learnedAnswers !== okCorrections.length) anomalies.push(`phase 2: ${correct.afterwards.learnedAnswers} learned answers for ${okCorrections.length} corrections`);
    if (/reminded|reassigned|escalated_to_backup/.test(correct.afterwards.escalationSteps ?? '')) anomalies.push(`SLA steps fired: ${correct.afterwards.escalationSteps}`);
    if (correct.breakdown.activityRetries) anomalies.push(`phase 2: ${correct.breakdown.activityRetries} corrections needed an activity retry`);

    const stackWarnings = [...warnings.byKey.entries()].sort((a, b) => b[1].count - a[1].count).map(([key, v]) => ({ key, count: v.count, sample: v.sample }));
    console.log(`\n== stack warnings and errors (${warnings.lines} lines on stderr)`);
    if (stackWarnings.length === 0) console.log('  none');
    for (const w of stackWarnings.slice(0, 15)) console.log(`  ${String(w.count).padStart(6)} x ${w.key}`);
    for (const w of stackWarnings.slice(0, 3)) console.log(`  sample: ${w.sample}`);
    console.log('\n== anomalies');
    console.log(anomalies.length ? anomalies.map((a) => `  - ${a}`).join('\n') : '  none');

    const load = os.loadavg().map((x) => Math.round(x * 100) / 100);
    const goals = {
      commandToOfferedP99Ms: { measured: round1(open.commandToOfferedMs.p99), target: 2_000 },
      correctionRoundTripP99Ms: { measured: round1(correct.correctAnswerMs.p99), target: 500 },
      cpuPerHandOffMs: { measured: open.cpuPerHandOffMs.temporalPlusWorker, target: 10, of: 'Temporal dev server + worker, phase 1' },
    };
    console.log('\n== targets');
    for (const [name, t] of Object.entries(goals)) console.log(`  ${name.padEnd(26)} ${String(t.measured).padStart(9)} (target <= ${t.target}) ${t.measured <= t.target ? 'met' : 'NOT met'}`);
    console.log(`  load average at the end  ${load.join(', ')} (1, 5, 15 min; the machine is shared)`);

    const summary = {
      benchmark: 'escalations',
      at: new Date().toISOString(),
      targets: goals,
      loadAverage: { atStart: loadAtStart, atEnd: load },
      wallSeconds: round1((performance.now() - runStarted) / 1000),
      setup: {
        ...machineSetup(),
        postgres: postgresVersion,
        temporalCli: temporalVersion,
        stackEnv,
        stackStartSeconds: round1(stackSeconds),
        answerWriter: process.env.OPENAI_API_KEY ? 'model' : 'extractive',
        sla,
        open: options.open,
        corrections: options.corrections,
        concurrency: options.concurrency,
        askConcurrency: options.askConcurrency,
        seed: options.seed,
        learnTimeoutSeconds: options.learnTimeoutMs / 1000,
      },
      open,
      correct,
      stackWarnings: stackWarnings.map(({ key, count }) => ({ key, count })),
      anomalies,
    };
    console.log('\n== summary (JSON)');
    console.log(JSON.stringify({ ...summary, open: { ...open, timeline: undefined }, correct: { ...correct, timeline: undefined } }, null, 2));
    writeFileSync(path.resolve(options.out), `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`\nwritten to ${path.resolve(options.out)}`);
  } finally {
    await stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
