/**
 * Ask cost at knowledge-base scale: starts the real stack, makes a workspace with N passages (loaded through
 * `importArticles`) and customers on every plan, then times `ask` through the gateway for BANKING77 test questions
 * at each concurrency, at each level of taught questions (`--taught 0,1000,10000`), measuring the CPU every process
 * spends per ask (gateway, subgraphs, worker, Temporal, Postgres backends). Every ask carries a customer token, as a
 * real front-end sends, so the account-context lookup runs; once questions are taught the intent model takes part.
 * Numbers, not pass/fail.
 *
 *   npm run bench:ask -- --passages 10000 [--taught 0,1000,10000] [--questions 300] [--warmup 20]
 *                        [--concurrency 1,4,16,64] [--customers 100] [--seed 77]
 *                        [--out tests/benchmarks/results/ask.json] [--explain 5] [--hold] [--ask-latency-tolerance 2]
 *
 * Teaching: train questions are taught the way the escalation workflow's activity teaches a correction, through
 * the knowledge subgraph's internal `learnFromCorrection` (the agent's answer is the label's article text, citing
 * that article), so that ten thousand corrections take minutes rather than the hours the full hand-off → agent →
 * workflow round trip would; what is learned (question variants, learned answers, the intent model) is the same.
 * No outcomes come with them, so topic thresholds stay at their untaught bars.
 *
 * --explain K runs EXPLAIN (ANALYZE, BUFFERS) of the question probe (QUESTION_PROBE_SQL, the SQL left of ranking) for K of the questions against the
 * benchmark database before the stack stops; --hold keeps the stack (and its database) up until Ctrl-C.
 *
 * Synthetic articles are made of four paragraphs of 600-750 characters each. The knowledge service cuts
 * bodies into passages of whole paragraphs up to 800 characters, so each paragraph becomes one passage and
 * the passage count can be hit exactly. Paragraphs recombine the sentences of the 77 real help-centre
 * articles (so word and trigram statistics stay those of real support text) with invented product names and
 * numbers, drawn from a seeded generator so every run builds the same corpus.
 */
import { insightsEnv } from '../../services/insights/config';
import { Distribution, distribution, intListOption, intOption, machineSetup, mapConcurrent, prng } from './bench-support';
import { REPO_ROOT } from '../helpers/repo-root';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { InternalGraphQLClient } from '../../services/shared/internal-client';
import { conversationEnv } from '../../services/conversation/config';
import { sentences as splitSentences } from '../../services/shared/text';
import { CpuUse, printCpu, trackCpu } from './process-cpu';
import { GatewayRatio, measureGatewayRatio } from './gateway-ratio';
import { QUESTION_PROBE_SQL } from '../../services/knowledge/retrieval/passage-index.queries';
import { customerToken, dataOf } from '../helpers/graphql';
import { readLabelledCsv, shuffled } from './learning/dataset';
import { TestStack, startTestStack } from '../helpers/stack';
import { TestWorkspace, createTestWorkspace } from '../helpers/workspace';

// ---------------------------------------------------------------------------------------------------------
// Where things are

const DATASET_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'datasets', 'banking77');

// ---------------------------------------------------------------------------------------------------------
// Stopping

/**
 * SIGINT/SIGTERM only raise this flag: the phase under way stops at its next request and main's `finally`
 * stops the stack and drops its database, so an interrupted run leaves nothing behind.
 */
const interrupted = new AbortController();

function throwIfInterrupted(): void {
  if (interrupted.signal.aborted) throw new Error(`Interrupted by ${interrupted.signal.reason}`);
}

// ---------------------------------------------------------------------------------------------------------
// Options

interface Options {
  passages: number;
  /** Taught-question levels, ascending: the workspace is measured at each. */
  taught: number[];
  customers: number;
  questions: number;
  warmup: number;
  concurrency: number[];
  seed: number;
  out: string;
  explain: number;
  hold: boolean;
  /** The conversation service's ASK_LATENCY_TOLERANCE (0: the fixed bound). */
  askLatencyTolerance: number;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      passages: { type: 'string', default: '10000' },
      taught: { type: 'string', default: '0,1000,10000' },
      customers: { type: 'string', default: '100' },
      questions: { type: 'string', default: '300' },
      warmup: { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '1,4,16,64' },
      seed: { type: 'string', default: '77' },
      out: { type: 'string', default: path.join('tests', 'benchmarks', 'results', 'ask.json') },
      explain: { type: 'string', default: '0' },
      hold: { type: 'boolean', default: false },
      'ask-latency-tolerance': { type: 'string' },
    },
  });
  return {
    passages: intOption('passages', values.passages, 1),
    taught: intListOption('taught', values.taught, 0).sort((a, b) => a - b),
    customers: intOption('customers', values.customers, 1),
    questions: intOption('questions', values.questions, 1),
    warmup: intOption('warmup', values.warmup, 0),
    concurrency: intListOption('concurrency', values.concurrency, 1),
    seed: intOption('seed', values.seed, 0),
    out: values.out!,
    explain: intOption('explain', values.explain, 0),
    hold: values.hold ?? false,
    // The conversation service's default unless given (0: the fixed MAX_CONCURRENT_ASKS bound, as before it learned).
    askLatencyTolerance: conversationEnv.ASK_LATENCY_TOLERANCE.parse(values['ask-latency-tolerance']),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Data set

interface KbArticle {
  label: string;
  title: string;
  body: string;
}

interface Question {
  text: string;
  label: string;
}

function readKb(): KbArticle[] {
  return readFileSync(path.join(DATASET_DIR, 'kb.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as KbArticle);
}

function readQuestions(file: 'train.csv' | 'test.csv'): Question[] {
  return readLabelledCsv(path.join(DATASET_DIR, file));
}

interface ArticleInput {
  title: string;
  body: string;
  topic: string;
  externalKey: string;
}

const PARAGRAPH_MIN = 600;
const PARAGRAPH_MAX = 750;
const PARAGRAPHS_PER_ARTICLE = 4;

/** Builds synthetic articles from the sentences of the real ones. */
class SyntheticKnowledge {
  private readonly random: () => number;
  private readonly sentencesByLabel = new Map<string, string[]>();
  private readonly allSentences: string[] = [];
  private readonly products: string[];
  private readonly titles: string[];
  private readonly labels: string[];

  constructor(kb: KbArticle[], seed: number) {
    this.random = prng(seed);
    for (const article of kb) {
      const sentences = article.body
        .split('\n')
        .map((line) => line.replace(/^\s*\d+\.\s+/, '').trim())
        .filter(Boolean)
        .flatMap((line) => splitSentences(line))
        .filter((s) => s.length >= 15)
        .map((s) => (/[.!?:]$/.test(s) ? s : `${s}.`));
      this.sentencesByLabel.set(article.label, sentences);
      this.allSentences.push(...sentences);
    }
    this.labels = kb.map((a) => a.label);
    this.titles = kb.map((a) => a.title);
    this.products = this.inventProducts(400);
  }

  article(index: number, paragraphs: number): ArticleInput {
    const label = this.pick(this.labels);
    const product = this.pick(this.products);
    const body = Array.from({ length: paragraphs }, () => this.paragraph(label)).join('\n\n');
    return { title: `${product}: ${this.pick(this.titles)}`, body, topic: '', externalKey: `bench-${index}` };
  }

  /** 600-750 characters: half the sentences from the article's own topic, half from anywhere, plus product talk. */
  private paragraph(label: string): string {
    const own = this.sentencesByLabel.get(label)!;
    const target = PARAGRAPH_MIN + Math.floor(this.random() * (PARAGRAPH_MAX - PARAGRAPH_MIN + 1));
    const parts: string[] = [];
    let length = 0;
    const add = (sentence: string) => {
      if (length + sentence.length + 1 > PARAGRAPH_MAX) return false;
      parts.splice(Math.floor(this.random() * (parts.length + 1)), 0, sentence);
      length += sentence.length + (parts.length > 1 ? 1 : 0);
      return true;
    };
    const productSentences = 1 + Math.floor(this.random() * 3);
    for (let i = 0; i < productSentences; i++) add(this.productSentence());
    for (let attempts = 0; length < target && attempts < 200; attempts++) {
      add(this.varyNumbers(this.random() < 0.5 ? this.pick(own) : this.pick(this.allSentences)));
    }
    for (let attempts = 0; length < PARAGRAPH_MIN && attempts < 200; attempts++) add(this.productSentence());
    return parts.join(' ');
  }

  private productSentence(): string {
    const a = this.pick(this.products);
    const b = this.pick(this.products);
    const templates = [
      `This also applies to ${a} accounts.`,
      `${a} customers follow the same steps.`,
      `In ${a}, the option is under Settings > ${b}.`,
      `If you use ${a} together with ${b}, allow one extra working day.`,
      `${a} and ${b} are not affected.`,
      `You can see this in the ${a} tab as well.`,
    ];
    return this.pick(templates);
  }

  private varyNumbers(sentence: string): string {
    return this.random() < 0.3 ? sentence.replace(/\b\d{1,2}\b/g, () => String(1 + Math.floor(this.random() * 30))) : sentence;
  }

  private inventProducts(count: number): string[] {
    const onsets = ['b', 'c', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'qu', 'r', 's', 't', 'v', 'z', 'br', 'tr', 'fl', 'st'];
    const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'io', 'ea'];
    const codas = ['', 'n', 'r', 'x', 'l', 'nd', 'st', 'm'];
    const kinds = ['Card', 'Vault', 'Plus', 'Pay', 'Saver', 'Pro', 'Link', 'Wallet', 'Pocket', 'Flex', 'Go', 'Family'];
    const names = new Set<string>();
    while (names.size < count) {
      const syllables = 2 + Math.floor(this.random() * 2);
      let word = '';
      for (let s = 0; s < syllables; s++) word += this.pick(onsets) + this.pick(vowels) + (s === syllables - 1 ? this.pick(codas) : '');
      names.add(`${word[0]!.toUpperCase()}${word.slice(1)} ${this.pick(kinds)}`);
    }
    return [...names];
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Loading

const IMPORT = 'mutation($input: ImportArticlesInput!) { importArticles(input: $input) { created updated unchanged } }';
const MAX_ARTICLES_PER_IMPORT = 1_000;
/** The gateway parses JSON bodies up to 256 KiB; leave room for the query and the envelope. */
const MAX_IMPORT_BYTES = 240_000;

function batchesOf(articles: ArticleInput[]): ArticleInput[][] {
  const batches: ArticleInput[][] = [];
  let current: ArticleInput[] = [];
  let bytes = 0;
  for (const article of articles) {
    const size = Buffer.byteLength(JSON.stringify(article)) + 1;
    if (current.length > 0 && (current.length >= MAX_ARTICLES_PER_IMPORT || bytes + size > MAX_IMPORT_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(article);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

async function importAll(ws: TestWorkspace, articles: ArticleInput[], onProgress: (done: number) => void): Promise<number> {
  let requests = 0;
  let done = 0;
  for (const batch of batchesOf(articles)) {
    throwIfInterrupted();
    const summary = dataOf(await ws.as('admin', IMPORT, { input: { articles: batch } })).importArticles;
    if (summary.created !== batch.length) throw new Error(`importArticles created ${summary.created} of ${batch.length}: ${JSON.stringify(summary)}`);
    requests++;
    done += batch.length;
    onProgress(done);
  }
  return requests;
}

async function countPassages(db: Client, workspaceId: string): Promise<number> {
  const { rows } = await db.query<{ count: string }>('SELECT count(*) FROM knowledge.passages WHERE workspace_id = $1', [workspaceId]);
  return Number(rows[0]!.count);
}

// ---------------------------------------------------------------------------------------------------------
// Asking

const ASK = `mutation Ask($input: AskInput!) {
  ask(input: $input) {
    decision handOffReason confidence latencyMs
    conversation { id }
    message { id text citations { knowledgeItem { id } } }
  }
}`;

interface AskSample {
  /** Client wall time of the attempt that was taken (or of the last attempt, for an ask that failed). */
  clientMs: number;
  /** From the first attempt to the answer, refusals and the waits they asked for included: what the customer waited. */
  endToEndMs: number;
  /** Attempts refused with UNAVAILABLE and a retry-after before this ask was taken (or given up). */
  refusals: number;
  serverMs: number | null;
  decision: string | null;
  handOffReason: string | null;
  citedId: string | null;
  label: string;
  error: string | null;
}

/**
 * One benchmark workspace: its keys, a customer token per customer (a real front-end sends one on every ask), and
 * the benchmark's own map from knowledge ids to labels (the real articles, and what corrections taught).
 */
interface BenchWorkspace {
  ws: TestWorkspace;
  tokens: string[];
  labelOf: Map<string, string>;
}

/** A front-end gives up on an ask after this many refusals (each waited out as its Retry-After asks). */
const MAX_REFUSALS = 10;

/**
 * One customer's ask as a front-end sends it: with an idempotency key, and when the conversation service refuses it
 * for load (UNAVAILABLE with a retry-after), again after the wait it asks for, with the same key.
 */
async function askOnce(bench: BenchWorkspace, question: Question, index: number): Promise<AskSample & { messageId: string | null; conversationId: string | null }> {
  const first = performance.now();
  const failed = { serverMs: null, decision: null, handOffReason: null, citedId: null, label: question.label, messageId: null, conversationId: null };
  const input = { text: question.text, idempotencyKey: randomUUID() };
  for (let refusals = 0; ; refusals += 1) {
    const started = performance.now();
    try {
      const result = await bench.ws.as('widget', ASK, { input }, bench.tokens[index % bench.tokens.length]);
      const clientMs = performance.now() - started;
      const ask = result.data?.ask;
      const error = result.errors?.[0];
      const retryAfterSeconds = (error?.extensions?.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (error?.extensions?.code === 'UNAVAILABLE' && retryAfterSeconds !== undefined && refusals < MAX_REFUSALS && !interrupted.signal.aborted) {
        await sleep(retryAfterSeconds * 1000);
        continue;
      }
      const waited = { clientMs, endToEndMs: performance.now() - first, refusals };
      if (error || !ask) return { ...failed, ...waited, error: error?.extensions?.code ?? error?.message ?? `HTTP ${result.status}` };
      return {
        ...waited,
        serverMs: ask.latencyMs,
        decision: ask.decision,
        handOffReason: ask.handOffReason,
        citedId: ask.message.citations[0]?.knowledgeItem?.id ?? null,
        label: question.label,
        messageId: ask.message.id,
        conversationId: ask.conversation.id,
        error: null,
      };
    } catch (error) {
      return { ...failed, clientMs: performance.now() - started, endToEndMs: performance.now() - first, refusals, error: String(error) };
    }
  }
}

/** Like mapConcurrent, but items not yet started when the run is interrupted are skipped. */
const inParallel = <T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>) =>
  mapConcurrent(items, concurrency, async (item, index) => {
    if (!interrupted.signal.aborted) await fn(item, index);
  });

async function askAll(bench: BenchWorkspace, questions: Question[], concurrency: number): Promise<{ samples: AskSample[]; wallMs: number }> {
  const samples: AskSample[] = new Array(questions.length);
  const started = performance.now();
  await inParallel(questions, concurrency, async (question, index) => {
    samples[index] = await askOnce(bench, question, index);
  });
  const wallMs = performance.now() - started;
  throwIfInterrupted();
  return { samples, wallMs };
}

interface RunSummary {
  /** Questions taught to the workspace before this run. */
  taught: number;
  name: string;
  concurrency: number;
  questions: number;
  wallSeconds: number;
  /** Asks answered or handed off per second (refused and failed asks left out). */
  throughputPerSecond: number;
  /** Asks sent per second, refused and failed ones included. */
  offeredPerSecond: number;
  /** Client wall time of the attempts taken (the issue's "accepted asks"). */
  clientMs: Distribution;
  /**
   * What customers waited, from the first attempt to the answer, refusals and their Retry-After waits included; an
   * ask that failed counts with the time until it failed (JSON before 2026-12-06 06:05 UTC: answered asks only).
   */
  endToEndMs: Distribution;
  /** Attempts refused with UNAVAILABLE (each retried after its Retry-After) and asks that were refused at least once. */
  refusals: { attempts: number; asks: number };
  serverMs: Distribution;
  answered: number;
  handedOff: number;
  handOffReasons: Record<string, number>;
  /** Answered with knowledge of the question's own label as the first citation (its real article, or an answer taught for it). */
  answeredRight: number;
  /** Answered with a synthetic article as the first citation. */
  answeredFromSynthetic: number;
  errors: number;
  errorSamples: string[];
  /** 1-minute load average before and after the run: other work on the machine shows up here. */
  loadAverage: { before: number; after: number };
  /** CPU milliseconds per ask (failed asks included in the count), per process and in total over the stack's processes. */
  cpuMsPerAsk: { total: number; byProcess: Record<string, number> };
  cpu: CpuUse;
}

function summarise(bench: BenchWorkspace, taught: number, concurrency: number, samples: AskSample[], wallMs: number, loadBefore: number, cpu: CpuUse): RunSummary {
  const name = `${taught} taught, concurrency ${concurrency}`;
  const byProcess = Object.fromEntries(
    Object.entries(cpu.byProcess)
      .filter(([process]) => !process.startsWith('benchmark') && !process.includes('other databases'))
      .map(([process, use]) => [process, Math.round((use.cpuSeconds * 1e4) / samples.length) / 10]),
  );
  const ok = samples.filter((s) => !s.error);
  const reasons: Record<string, number> = {};
  for (const s of ok) if (s.decision === 'HANDED_OFF') reasons[s.handOffReason ?? 'UNKNOWN'] = (reasons[s.handOffReason ?? 'UNKNOWN'] ?? 0) + 1;
  const answered = ok.filter((s) => s.decision === 'ANSWERED');
  return {
    taught,
    name,
    concurrency,
    questions: samples.length,
    wallSeconds: Math.round(wallMs / 100) / 10,
    throughputPerSecond: Math.round((ok.length / (wallMs / 1000)) * 10) / 10,
    offeredPerSecond: Math.round((samples.length / (wallMs / 1000)) * 10) / 10,
    clientMs: distribution(ok.map((s) => s.clientMs)),
    // Every ask, the ones given up after MAX_REFUSALS included (at the time they were given up: a floor).
    endToEndMs: distribution(samples.map((s) => s.endToEndMs)),
    refusals: { attempts: samples.reduce((sum, s) => sum + s.refusals, 0), asks: samples.filter((s) => s.refusals > 0).length },
    serverMs: distribution(ok.map((s) => s.serverMs!).filter((x) => x !== null)),
    answered: answered.length,
    handedOff: ok.length - answered.length,
    handOffReasons: reasons,
    answeredRight: answered.filter((s) => s.citedId !== null && bench.labelOf.get(s.citedId) === s.label).length,
    // Cited items the benchmark did not label (neither a real article nor a learned answer): synthetic articles. By
    // the benchmark's own map, since a widget may not read a cited item's external key (FORBIDDEN since 27238f4).
    answeredFromSynthetic: answered.filter((s) => s.citedId !== null && !bench.labelOf.has(s.citedId)).length,
    errors: samples.length - ok.length,
    errorSamples: [...new Set(samples.filter((s) => s.error).map((s) => s.error!))].slice(0, 5),
    loadAverage: { before: loadBefore, after: loadAverage() },
    cpuMsPerAsk: { total: Math.round(Object.values(byProcess).reduce((sum, ms) => sum + ms, 0) * 10) / 10, byProcess },
    cpu,
  };
}

function printRun(run: RunSummary): void {
  const row = (label: string, d: Distribution) =>
    `  ${label.padEnd(22)} p50 ${fmt(d.p50)}  p95 ${fmt(d.p95)}  p99 ${fmt(d.p99)}  max ${fmt(d.max)}  mean ${fmt(d.mean)}  (n=${d.n})`;
  console.log(`\n== ask, ${run.name} (${run.questions} questions, ${run.wallSeconds} s, ${run.throughputPerSecond} asks/s taken of ${run.offeredPerSecond} sent)`);
  console.log(row('client wall time (ms)', run.clientMs) + (run.errors ? ' (asks taken; failures are in errors)' : ''));
  console.log(row('customer waited (ms)', run.endToEndMs) + ` (refusals: ${run.refusals.attempts} attempts, ${run.refusals.asks} asks refused at least once, each retried after its Retry-After)`);
  console.log(row('server latencyMs', run.serverMs));
  const pct = (n: number) => `${((100 * n) / run.questions).toFixed(1)}%`;
  console.log(`  answered ${run.answered} (${pct(run.answered)}), handed off ${run.handedOff} (${pct(run.handedOff)}) ${JSON.stringify(run.handOffReasons)}, errors ${run.errors}`);
  console.log(`  answered from knowledge of the question's own label: ${run.answeredRight} (${pct(run.answeredRight)}); from a synthetic article: ${run.answeredFromSynthetic}`);
  if (run.errorSamples.length) console.log(`  errors: ${run.errorSamples.join(' | ')}`);
  console.log(`  load average (1 min) ${run.loadAverage.before} before, ${run.loadAverage.after} after`);
  printCpu(run.name, run.cpu);
  const perProcess = Object.entries(run.cpuMsPerAsk.byProcess).sort((a, b) => b[1] - a[1]);
  console.log(`  cpu per ask ${run.cpuMsPerAsk.total} ms over the stack: ${perProcess.map(([process, ms]) => `${process} ${ms}`).join(', ')}`);
}

const loadAverage = () => Math.round(os.loadavg()[0]! * 100) / 100;

const fmt = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;

// ---------------------------------------------------------------------------------------------------------
// EXPLAIN

interface ExplainSummary {
  question: string;
  executionMs: number;
  planningMs: number;
  plan: string;
}

async function explainRetrieval(db: Client, workspaceId: string, questions: Question[]): Promise<ExplainSummary[]> {
  const results: ExplainSummary[] = [];
  for (const question of questions) {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${QUESTION_PROBE_SQL}`, [workspaceId, question.text]);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    results.push({
      question: question.text,
      executionMs: Number(plan.match(/Execution Time: ([\d.]+) ms/)?.[1] ?? NaN),
      planningMs: Number(plan.match(/Planning Time: ([\d.]+) ms/)?.[1] ?? NaN),
      plan,
    });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------------
// Customers and teaching

const PLANS = ['free', 'team', 'business', 'enterprise'];
const BILLING = ['ACTIVE', 'TRIALING', 'PAST_DUE'];

const ACCOUNTS = 24;

/** Accounts on every plan and billing state, for the customers to belong to. */
async function createAccounts(ws: TestWorkspace): Promise<string[]> {
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `bench-account-${i}`);
  await inParallel(accounts, 4, async (account, i) => {
    dataOf(
      await ws.as('admin', 'mutation($input: UpsertAccountInput!) { upsertAccount(input: $input) { id } }', {
        input: { externalId: account, name: account, plan: PLANS[i % PLANS.length], billingState: BILLING[i % BILLING.length], seats: 5 + i },
      }),
    );
  });
  return accounts;
}

/**
 * `count` new customers (numbered from `first`), spread over the accounts, each with a token signed with the
 * workspace's secret. Every run asks as customers of its own (by default 100, three questions each, so a third of
 * the asks are a customer's first, with its verification and customer record): the same customer asking the same
 * question again within the repeat-contact window counts against the earlier answer, which closed the thresholds
 * run after run when every run's questions came from the same customers.
 */
async function createCustomers(ws: TestWorkspace, accounts: string[], first: number, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => first + i);
  const tokens: string[] = new Array(count);
  await inParallel(ids, 4, async (n, i) => {
    const input = { externalId: `bench-customer-${n}`, accountExternalId: accounts[n % accounts.length] };
    dataOf(await ws.as('admin', 'mutation($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { id } }', { input }));
    tokens[i] = await customerToken(ws.customerTokenSecret, input.externalId, '4h');
  });
  return tokens;
}

interface Teaching {
  /** Taught questions in total once this step is done. */
  taught: number;
  /** What this step added: new learned answers, new phrasings of an answer already learned, and failures. */
  learnedAnswers: number;
  phrasings: number;
  failed: number;
  failures: string[];
  seconds: number;
}

const LEARN_FROM_CORRECTION = `mutation Learn($input: LearnFromCorrectionInput!) { learnFromCorrection(input: $input) { outcome knowledgeItem { id } } }`;

/**
 * Teaches train questions as the escalation workflow's activity does after an agent's correction: the agent
 * answered with the label's article, citing it. Straight to the knowledge subgraph (the internal endpoint the
 * worker calls, with the system role), `concurrency` at a time.
 */
async function teach(
  knowledge: InternalGraphQLClient,
  bench: BenchWorkspace,
  questions: Question[],
  articleOf: Map<string, { id: string; body: string }>,
  concurrency: number,
  taughtBefore: number,
): Promise<Teaching> {
  const started = performance.now();
  const counts = { learnedAnswers: 0, phrasings: 0, failed: 0 };
  const failures = new Set<string>();
  const system = { workspaceId: bench.ws.id, role: 'system' as const, subject: 'service:worker' };
  await inParallel(questions, concurrency, async (question) => {
    const article = articleOf.get(question.label)!;
    try {
      const { learnFromCorrection } = await knowledge.request<{ learnFromCorrection: { outcome: string; knowledgeItem: { id: string } | null } }>(
        LEARN_FROM_CORRECTION,
        {
          input: {
            conversationId: randomUUID(),
            messageId: randomUUID(),
            question: question.text,
            correctedText: article.body,
            references: [article.id],
            agent: 'agent:bench',
            idempotencyKey: randomUUID(),
          },
        },
        system,
      );
      // The learned answer is knowledge of the question's label too (answeredRight counts it).
      if (learnFromCorrection.knowledgeItem) bench.labelOf.set(learnFromCorrection.knowledgeItem.id, question.label);
      if (learnFromCorrection.outcome === 'created') counts.learnedAnswers++;
      else if (learnFromCorrection.outcome === 'variant_added') counts.phrasings++;
      else throw new Error(`nothing learned: ${learnFromCorrection.outcome}`);
    } catch (error) {
      counts.failed++;
      failures.add(String(error).slice(0, 200));
    }
  });
  throwIfInterrupted();
  return { taught: taughtBefore + questions.length, ...counts, failures: [...failures].slice(0, 5), seconds: Math.round((performance.now() - started) / 100) / 10 };
}

// ---------------------------------------------------------------------------------------------------------
// Main

const IMPORT_WITH_IDS = 'mutation($input: ImportArticlesInput!) { importArticles(input: $input) { items { id externalKey body } } }';

async function main(): Promise<void> {
  const options = readOptions();
  const kb = readKb();
  const allQuestions = shuffled(readQuestions('test.csv'), options.seed);
  if (allQuestions.length < options.questions + options.warmup) throw new Error(`test.csv has ${allQuestions.length} questions; need ${options.questions + options.warmup}`);
  const warmupQuestions = allQuestions.slice(0, options.warmup);
  const questions = allQuestions.slice(options.warmup, options.warmup + options.questions);
  const trainQuestions = shuffled(readQuestions('train.csv'), options.seed);
  const mostTaught = options.taught.at(-1) ?? 0;
  if (trainQuestions.length < mostTaught) throw new Error(`train.csv has ${trainQuestions.length} questions; --taught asks for ${mostTaught}`);
  // Production defaults, not the e2e helper's 0s: every ask is not also an authentication round trip, and the bound
  // on asks in flight is learned.
  const stackEnv = { AUTH_CACHE_TTL_MS: '30000', RELAY_INTERVAL_MS: String(insightsEnv.RELAY_INTERVAL_MS.parse(undefined)), ASK_LATENCY_TOLERANCE: String(options.askLatencyTolerance) };

  let env: TestStack | undefined;
  let db: Client | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping the stack`);
    interrupted.abort(signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const startedStack = performance.now();
    env = await startTestStack(stackEnv);
    throwIfInterrupted();
    const stackSeconds = (performance.now() - startedStack) / 1000;
    db = new Client({ connectionString: env.databaseUrl });
    await db.connect();
    const postgresVersion = (await db.query<{ version: string }>('SELECT version()')).rows[0]!.version;

    const cpus = os.cpus();
    console.log('== setup');
    console.log(`  node               ${process.version} (${process.platform}/${process.arch})`);
    console.log(`  cpu                ${cpus[0]?.model ?? 'unknown'} x ${cpus.length}`);
    console.log(`  memory             ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total`);
    console.log(`  postgres           ${postgresVersion}`);
    console.log(`  database           ${env.databaseUrl}`);
    console.log(`  stack              real processes from dist/, LOG_LEVEL=warn, ${JSON.stringify(stackEnv)}, started in ${stackSeconds.toFixed(1)} s`);
    console.log(`  answer writer      ${process.env.OPENAI_API_KEY ? `model ${process.env.OPENAI_MODEL ?? 'gpt-4o-mini'}` : 'extractive (no OPENAI_API_KEY)'}`);
    console.log(`  target passages    ${options.passages}`);
    console.log(`  customers          ${options.customers} new ones per run (on ${ACCOUNTS} accounts), each ask with one's token`);
    console.log(`  taught             measured at ${options.taught.join(', ')} banking77 train.csv questions taught (learnFromCorrection)`);
    console.log(`  questions          ${questions.length} from banking77 test.csv (seed ${options.seed}), warm-up ${warmupQuestions.length}`);
    console.log(`  concurrency        ${options.concurrency.join(', ')}`);

    // Load: the 77 real articles first, then as many synthetic ones as it takes to reach the passage target.
    const real: ArticleInput[] = kb.map((a) => ({ title: a.title, body: a.body, topic: '', externalKey: a.label }));
    const articleOf = new Map<string, { id: string; body: string }>();
    const ws = await createTestWorkspace(env, 'Ask cost benchmark');
    const loadStarted = performance.now();
    const { items } = dataOf(await ws.as('admin', IMPORT_WITH_IDS, { input: { articles: real } })).importArticles;
    const labelOf = new Map<string, string>(items.map((item: { id: string; externalKey: string }) => [item.id, item.externalKey]));
    for (const item of items as Array<{ id: string; externalKey: string; body: string }>) articleOf.set(item.externalKey, { id: item.id, body: item.body });
    throwIfInterrupted();
    const realPassages = await countPassages(db, ws.id);
    const remaining = Math.max(0, options.passages - realPassages);
    const generator = new SyntheticKnowledge(kb, options.seed);
    const synthetic: ArticleInput[] = [];
    for (let i = 0; i * PARAGRAPHS_PER_ARTICLE < remaining; i++) synthetic.push(generator.article(i, Math.min(PARAGRAPHS_PER_ARTICLE, remaining - i * PARAGRAPHS_PER_ARTICLE)));
    let lastReported = 0;
    const requests =
      1 +
      (await importAll(ws, synthetic, (done) => {
        if (done - lastReported >= Math.max(1000, synthetic.length / 10) || done === synthetic.length) {
          lastReported = done;
          console.log(`  loaded ${String(done).padStart(6)} / ${synthetic.length} synthetic articles, ${((performance.now() - loadStarted) / 1000).toFixed(0)} s`);
        }
      }));
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const passages = await countPassages(db, ws.id);
    if (passages !== options.passages) throw new Error(`Expected ${options.passages} passages, found ${passages}`);
    const articles = real.length + synthetic.length;
    const load = { articles, realArticles: real.length, syntheticArticles: synthetic.length, passages, requests, seconds: Math.round(loadSeconds * 10) / 10, passagesPerSecond: Math.round(passages / loadSeconds) };
    console.log(`  ${passages} passages (${realPassages} from the real articles), ${articles} articles in ${requests} importArticles calls, ${loadSeconds.toFixed(1)} s`);
    const accounts = await createAccounts(ws);
    let customers = 0;
    /** A new set of `--customers` customers for the next run. */
    const newCustomers = async () => {
      const tokens = await createCustomers(ws, accounts, customers, options.customers);
      customers += options.customers;
      return tokens;
    };
    const bench: BenchWorkspace = { ws, tokens: [], labelOf };
    const { rows: sizeRows } = await db.query<{ table: string; indexes: string }>(
      `SELECT pg_size_pretty(pg_table_size('knowledge.passages')) AS table, pg_size_pretty(pg_indexes_size('knowledge.passages')) AS indexes`,
    );
    console.log(`  knowledge.passages ${sizeRows[0]!.table} table, ${sizeRows[0]!.indexes} indexes`);

    const knowledge = new InternalGraphQLClient(env.stack.urls.knowledge, env.hmacSecret);
    const teaching: Teaching[] = [];
    const runs: RunSummary[] = [];
    let taught = 0;
    for (const level of options.taught) {
      if (level > taught) {
        console.log(`\n== teaching ${level - taught} more train questions (${level} in all), 4 at a time`);
        const step = await teach(knowledge, bench, trainQuestions.slice(taught, level), articleOf, 4, taught);
        teaching.push(step);
        taught = level;
        console.log(`  ${step.learnedAnswers} learned answers, ${step.phrasings} phrasings, ${step.failed} failed in ${step.seconds} s${step.failures.length ? `: ${step.failures.join(' | ')}` : ''}`);
      }
      // Measure the settled state autovacuum reaches sooner or later: right after a bulk load the planner has no
      // statistics for the new rows and can pick plans that scan every item of the workspace.
      await db.query('ANALYZE');
      bench.tokens = await newCustomers();
      const warmup = await askAll(bench, warmupQuestions, 1);
      const warmupErrors = warmup.samples.filter((s) => s.error);
      console.log(`\n== ${taught} taught, warm-up: ${warmupQuestions.length} asks in ${(warmup.wallMs / 1000).toFixed(1)} s, ${warmupErrors.length} errors`);
      if (warmupErrors.length === warmupQuestions.length && warmupQuestions.length > 0) throw new Error(`Every warm-up ask failed: ${warmupErrors[0]!.error}`);
      for (const concurrency of options.concurrency) {
        bench.tokens = await newCustomers();
        const loadBefore = loadAverage();
        const cpu = trackCpu(env);
        const measured = await askAll(bench, questions, concurrency);
        runs.push(summarise(bench, taught, concurrency, measured.samples, measured.wallMs, loadBefore, cpu.stop()));
        printRun(runs.at(-1)!);
      }
    }

    // The gateway's own cost: the same one-field query through it and straight to its subgraph, in one run.
    console.log('\n== gateway vs direct ({ workspace { id } }, 16 at a time)');
    const gatewayRatio: GatewayRatio = await measureGatewayRatio(env);
    console.log(`  gateway ${gatewayRatio.gateway.rps} req/s, direct ${gatewayRatio.direct.rps} req/s: ratio ${gatewayRatio.ratio} (CPU-predicted ${gatewayRatio.cpuRatio})`);

    let explain: ExplainSummary[] = [];
    if (options.explain > 0) {
      explain = await explainRetrieval(db, ws.id, questions.slice(0, options.explain));
      console.log(`\n== EXPLAIN (ANALYZE, BUFFERS) of QUESTION_PROBE_SQL (the question's lexemes and passage revision), ${explain.length} questions`);
      for (const e of explain) console.log(`  ${e.executionMs.toFixed(1).padStart(8)} ms execution, ${e.planningMs.toFixed(1)} ms planning: ${e.question}`);
      console.log(`\n-- plan for: ${explain[0]!.question}\n${explain[0]!.plan}`);
    }

    const summary = {
      benchmark: 'ask-latency',
      at: new Date().toISOString(),
      setup: {
        ...machineSetup(),
        postgres: postgresVersion,
        stackEnv,
        answerWriter: process.env.OPENAI_API_KEY ? 'model' : 'extractive',
        seed: options.seed,
        passages: options.passages,
        customers: options.customers,
        customerToken: 'on every ask',
        questions: questions.length,
        warmup: warmupQuestions.length,
        concurrency: options.concurrency,
        taught: options.taught,
      },
      load,
      teaching,
      runs,
      gatewayRatio,
      explain: explain.map(({ question, executionMs, planningMs }) => ({ question, executionMs, planningMs })),
    };
    console.log('\n== summary (JSON)');
    console.log(JSON.stringify(summary, null, 2));
    mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    writeFileSync(path.resolve(options.out), `${JSON.stringify(summary, null, 2)}\n`);
    console.log(`written to ${options.out}`);

    if (options.hold) {
      console.log(`\n== holding the stack: gateway ${env.gatewayUrl}, database ${env.databaseUrl}. Ctrl-C stops it.`);
      await new Promise((resolve) => interrupted.signal.addEventListener('abort', resolve));
    }
  } finally {
    await db?.end().catch(() => undefined);
    await env?.stop();
  }
}

main().then(
  () => process.exit(interrupted.signal.aborted ? 130 : 0),
  (error) => {
    console.error(interrupted.signal.aborted ? String(error) : error);
    process.exit(interrupted.signal.aborted ? 130 : 1);
  },
);
