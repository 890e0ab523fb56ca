/**
 * The learning benchmark's harness: replays a labelled data set through the running system, through the
 * gateway's GraphQL API only, with the roles a deployment uses (admin imports and previews, the widget asks,
 * rates and asks for a person, an agent claims and corrects). The system is never told a label: the harness
 * keeps its own map from knowledge ids to labels, from the import and from what each correction returns.
 */
import { performance } from 'node:perf_hooks';
import { dataOf, graphql } from '../../helpers/graphql';
import { Distribution, distribution, prng } from '../bench-support';
import { Dataset, LabelledQuestion, shuffled, takeShots } from './dataset';
import { CheckpointScore, ScoredAnswer, scoreCheckpoint } from './scoring';

export type Mode = 'learning' | 'static';

export interface HarnessOptions {
  gatewayUrl: string;
  /** An operator key, which creates workspaces (the benchmark makes one per mode). */
  operatorKey: string;
  dataset: Dataset;
  mode: Mode;
  seed: number;
  /** Only this many train questions per label (the stream keeps its shuffled order). */
  shots?: number;
  /** Fractions of the stream after which test.csv is scored. */
  checkpoints: number[];
  /** Score at most this many test questions (a seeded sample); all by default. */
  testLimit?: number;
  /** Labels whose right answer changes halfway (half announced by a product change first); 0 turns it off. */
  changedLabels: number;
  /** Customers asking at once. */
  concurrency: number;
  /** Measure time to learn on every n-th correction. */
  timeToLearnEvery: number;
  log: (line: string) => void;
}

export interface CheckpointResult extends CheckpointScore {
  /** Share of the stream seen before scoring. */
  fraction: number;
  questionsSeen: number;
  correctionsSoFar: number;
}

export interface StreamTotals {
  asked: number;
  answeredRight: number;
  answeredWrong: number;
  handedOff: number;
  corrections: number;
  learnedAnswersCreated: number;
  variantsAdded: number;
}

export interface ChangedLabel {
  label: string;
  announced: boolean;
  /** Answers given on their own (not handed off) from knowledge that predates the change, after it. */
  staleAnswers: number;
  /** Questions of the label asked after the change. */
  askedAfter: number;
}

export interface TimeToLearn {
  /**
   * ms from a correction returning to the corrected question, reworded (lower case, no punctuation, a greeting
   * in front), being answered from what it taught: how fast a lesson takes effect.
   */
  reworded: Distribution | null;
  /** Sampled corrections whose reworded question was not answered from them within the wait. */
  rewordedNotWithinWait: number;
  /** ms from a correction returning to another question of the label (from test.csv) being answered from it: how far one lesson reaches. */
  answeredFromIt: Distribution | null;
  sampled: number;
  /** Sampled corrections whose other question was not answered from them within the wait. */
  notWithinWait: number;
  waitMs: number;
}

/** The corrected question as a customer might send it again: same words, different surface. */
export function reword(question: string): string {
  return `hi, ${question.toLowerCase().replace(/[^\p{L}\p{N}\s']/gu, ' ').replace(/\s+/g, ' ').trim()}`;
}

export interface HarnessResult {
  mode: Mode;
  workspaceId: string;
  streamLength: number;
  testQuestions: number;
  checkpoints: CheckpointResult[];
  totals: StreamTotals;
  changedLabels: ChangedLabel[];
  timeToLearn: TimeToLearn | null;
  durationSeconds: number;
}

const ASK = `mutation($input: AskInput!) { ask(input: $input) { decision confidence conversationSecret conversation { id } message { id citations { knowledgeItem { id } } } } }`;
const PREVIEW = `query($input: PreviewAnswerInput!) { previewAnswer(input: $input) { decision confidence candidate { id } citations { knowledgeItem { id } } } }`;
const CORRECT = `mutation($input: CorrectAnswerInput!) { correctAnswer(input: $input) { learning learnedAnswer { id } } }`;
const TIME_TO_LEARN_WAIT_MS = 3_000;

interface Keys {
  admin: string;
  agent: string;
  widget: string;
}

/** The harness's own knowledge of what each knowledge item answers, and which items went stale. */
class Grounding {
  private readonly labelOf = new Map<string, string>();
  private readonly stale = new Set<string>();
  private readonly learnedFor = new Map<string, Set<string>>();
  readonly articleOf = new Map<string, { id: string; body: string; title: string }>();

  article(label: string, id: string, body: string, title: string): void {
    this.labelOf.set(id, label);
    this.articleOf.set(label, { id, body, title });
  }

  learned(label: string, id: string): void {
    this.labelOf.set(id, label);
    const ids = this.learnedFor.get(label) ?? new Set<string>();
    ids.add(id);
    this.learnedFor.set(label, ids);
  }

  /** The label's answer changed: what was learned for it so far says the old thing. */
  changed(label: string, newBody: string): void {
    for (const id of this.learnedFor.get(label) ?? []) this.stale.add(id);
    const article = this.articleOf.get(label)!;
    this.articleOf.set(label, { ...article, body: newBody });
  }

  isStale(itemId: string | undefined): boolean {
    return itemId !== undefined && this.stale.has(itemId);
  }

  isRight(itemId: string | undefined, label: string): boolean {
    return itemId !== undefined && this.labelOf.get(itemId) === label && !this.stale.has(itemId);
  }
}

export async function runHarness(options: HarnessOptions): Promise<HarnessResult> {
  const started = performance.now();
  const { dataset, log } = options;
  const keys = await createWorkspace(options);
  const grounding = new Grounding();
  await importArticles(options, keys, grounding);

  let stream = shuffled(dataset.train, options.seed);
  if (options.shots !== undefined) stream = takeShots(stream, options.shots);
  const test = options.testLimit !== undefined && options.testLimit < dataset.test.length ? shuffled(dataset.test, options.seed + 1).slice(0, options.testLimit) : dataset.test;
  const totals: StreamTotals = { asked: 0, answeredRight: 0, answeredWrong: 0, handedOff: 0, corrections: 0, learnedAnswersCreated: 0, variantsAdded: 0 };
  const checkpoints: CheckpointResult[] = [];
  const paraphrases = groupByLabel(test);
  const learnTimes: number[] = [];
  const rewordTimes: number[] = [];
  const timeToLearn = { sampled: 0, notWithinWait: 0, rewordedNotWithinWait: 0 };
  const changed = new Map<string, ChangedLabel>();
  const changeAt = options.changedLabels > 0 && options.mode === 'learning' ? Math.floor(stream.length / 2) : -1;

  const score = async (fraction: number, seen: number) => {
    const answers = await mapConcurrent(test, options.concurrency, async (q): Promise<ScoredAnswer> => {
      const preview = dataOf(await graphql(options.gatewayUrl, PREVIEW, { input: { text: q.text } }, { apiKey: keys.admin })).previewAnswer;
      const itemId: string | undefined = preview.candidate?.id ?? preview.citations[0]?.knowledgeItem.id;
      return { correct: grounding.isRight(itemId, q.label), confidence: preview.confidence, answered: preview.decision === 'ANSWERED' };
    });
    const result = { fraction, questionsSeen: seen, correctionsSoFar: totals.corrections, ...scoreCheckpoint(answers) };
    checkpoints.push(result);
    log(
      `${options.mode} ${(fraction * 100).toFixed(0).padStart(3)}% (${seen} asked): top-1 ${pct(result.top1)}, automation at 95% precision ${pct(result.automationAtPrecision)}, hand-off ${pct(result.handOffRate)}`,
    );
  };

  const ask = async (q: LabelledQuestion, index: number) => {
    const turn = dataOf(await graphql(options.gatewayUrl, ASK, { input: { text: q.text } }, { apiKey: keys.widget })).ask;
    totals.asked++;
    const cited: string | undefined = turn.message.citations[0]?.knowledgeItem.id;
    const answered = turn.decision === 'ANSWERED';
    const change = changed.get(q.label);
    if (change && index >= changeAt) {
      change.askedAfter++;
      if (answered && grounding.isStale(cited)) change.staleAnswers++;
    }
    if (answered && grounding.isRight(cited, q.label)) {
      totals.answeredRight++;
      await call(options, keys.widget, `mutation($input: RateAnswerInput!) { rateAnswer(input: $input) { rating } }`, { input: { messageId: turn.message.id, rating: 'UP', conversationSecret: turn.conversationSecret } });
      await call(options, keys.widget, `mutation($input: ConversationRef!) { markResolved(input: $input) { status } }`, { input: { conversationId: turn.conversation.id, conversationSecret: turn.conversationSecret } });
      return;
    }
    if (answered) {
      totals.answeredWrong++;
      await call(options, keys.widget, `mutation($input: RateAnswerInput!) { rateAnswer(input: $input) { rating } }`, { input: { messageId: turn.message.id, rating: 'DOWN', conversationSecret: turn.conversationSecret } });
      await call(options, keys.widget, `mutation($input: ConversationRef!) { requestHuman(input: $input) { status } }`, { input: { conversationId: turn.conversation.id, conversationSecret: turn.conversationSecret } });
    } else {
      totals.handedOff++;
    }
    await call(options, keys.agent, `mutation($input: ConversationRef!) { claimConversation(input: $input) { claimedBy } }`, { input: { conversationId: turn.conversation.id } });
    const article = grounding.articleOf.get(q.label)!;
    const correction = dataOf(
      await graphql(options.gatewayUrl, CORRECT, { input: { messageId: turn.message.id, correctedText: article.body, knowledgeItemIds: [article.id] } }, { apiKey: keys.agent }),
    ).correctAnswer;
    const returned = performance.now();
    totals.corrections++;
    if (correction.learning === 'CREATED') totals.learnedAnswersCreated++;
    else totals.variantsAdded++;
    grounding.learned(q.label, correction.learnedAnswer.id);
    if (totals.corrections % options.timeToLearnEvery === 0) {
      const paraphrase = pick(paraphrases.get(q.label), index);
      if (paraphrase) {
        timeToLearn.sampled++;
        const [again, other] = await Promise.all([
          untilAnsweredFrom(options, keys, reword(q.text), correction.learnedAnswer.id, returned),
          untilAnsweredFrom(options, keys, paraphrase.text, correction.learnedAnswer.id, returned),
        ]);
        if (again === null) timeToLearn.rewordedNotWithinWait++;
        else rewordTimes.push(again);
        if (other === null) timeToLearn.notWithinWait++;
        else learnTimes.push(other);
      }
    }
  };

  const marks = [...new Set(options.checkpoints.map((f) => Math.round(f * stream.length)))].sort((a, b) => a - b);
  if (options.mode === 'static') {
    // "Train once, deploy forever": the imported articles, scored as they are; nothing is asked or learned.
    await score(0, 0);
    for (const mark of marks.filter((m) => m > 0)) checkpoints.push({ ...checkpoints[0]!, fraction: mark / stream.length, questionsSeen: mark });
  } else {
    let done = 0;
    for (const mark of marks) {
      if (changeAt >= done && changeAt < mark) {
        await runSlice(stream, done, changeAt, options.concurrency, ask);
        done = changeAt;
        await changeAnswers(options, keys, grounding, stream, changed);
      }
      await runSlice(stream, done, mark, options.concurrency, ask);
      done = mark;
      await score(mark / stream.length, mark);
    }
  }

  return {
    mode: options.mode,
    workspaceId: keys.workspaceId,
    streamLength: options.mode === 'static' ? 0 : stream.length,
    testQuestions: test.length,
    checkpoints,
    totals,
    changedLabels: [...changed.values()],
    timeToLearn: options.mode === 'static' ? null : { reworded: rewordTimes.length ? distribution(rewordTimes) : null, answeredFromIt: learnTimes.length ? distribution(learnTimes) : null, ...timeToLearn, waitMs: TIME_TO_LEARN_WAIT_MS },
    durationSeconds: (performance.now() - started) / 1000,
  };
}

async function createWorkspace(options: HarnessOptions): Promise<Keys & { workspaceId: string }> {
  const name = `bench ${options.dataset.name} ${options.mode} seed ${options.seed} ${new Date().toISOString()}`;
  const created = dataOf(
    await graphql(options.gatewayUrl, 'mutation($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { workspace { id } adminKey } }', { input: { name } }, { apiKey: options.operatorKey }),
  ).createWorkspace;
  const key = async (role: string) =>
    dataOf(await graphql(options.gatewayUrl, 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { role, label: `bench ${role.toLowerCase()}` } }, { apiKey: created.adminKey })).createApiKey
      .secret as string;
  return { workspaceId: created.workspace.id, admin: created.adminKey, agent: await key('AGENT'), widget: await key('WIDGET') };
}

async function importArticles(options: HarnessOptions, keys: Keys, grounding: Grounding): Promise<void> {
  const IMPORT = `mutation($input: ImportArticlesInput!) { importArticles(input: $input) { items { id externalKey body title } } }`;
  for (let start = 0; start < options.dataset.articles.length; start += 200) {
    const batch = options.dataset.articles.slice(start, start + 200);
    const { items } = dataOf(await graphql(options.gatewayUrl, IMPORT, { input: { articles: batch } }, { apiKey: keys.admin })).importArticles;
    for (const item of items as Array<{ id: string; externalKey: string; body: string; title: string }>) grounding.article(item.externalKey, item.id, item.body, item.title);
  }
  options.log(`imported ${options.dataset.articles.length} articles`);
}

/**
 * Halfway: the right answer changes for some labels. For the first half of them a product change naming the
 * article is recorded first (announced); the others change silently. Either way the article gets a new body.
 */
async function changeAnswers(options: HarnessOptions, keys: Keys, grounding: Grounding, stream: LabelledQuestion[], changed: Map<string, ChangedLabel>): Promise<void> {
  const labels = [...new Set(stream.map((q) => q.label))];
  const chosen = shuffled(labels, options.seed + 7).slice(0, options.changedLabels);
  for (const [index, label] of chosen.entries()) {
    const article = grounding.articleOf.get(label)!;
    const announced = index < Math.ceil(chosen.length / 2);
    if (announced) {
      await call(options, keys.admin, `mutation($input: RecordProductChangeInput!) { recordProductChange(input: $input) { id } }`, {
        input: { kind: 'RELEASE_NOTE', title: `Change to "${article.title}"`, description: 'The process described in this article changed.', productAreas: [], knowledgeItemIds: [article.id] },
      });
    }
    const newBody = `Since our latest release this works differently. ${article.body}\n\n(Updated: the steps above replace the previous process for "${article.title}".)`;
    await call(options, keys.admin, `mutation($input: UpdateArticleInput!) { updateArticle(input: $input) { version } }`, { input: { id: article.id, body: newBody } });
    grounding.changed(label, newBody);
    changed.set(label, { label, announced, staleAnswers: 0, askedAfter: 0 });
  }
  options.log(`changed the answer of ${chosen.length} labels (${Math.ceil(chosen.length / 2)} announced by a product change)`);
}

/** Polls the preview until the paraphrase is answered from `itemId`; ms since `since`, or null after the wait. */
async function untilAnsweredFrom(options: HarnessOptions, keys: Keys, text: string, itemId: string, since: number): Promise<number | null> {
  for (;;) {
    const preview = dataOf(await graphql(options.gatewayUrl, PREVIEW, { input: { text } }, { apiKey: keys.admin })).previewAnswer;
    const now = performance.now();
    if (preview.decision === 'ANSWERED' && (preview.citations[0]?.knowledgeItem.id === itemId || preview.candidate?.id === itemId)) return now - since;
    if (now - since > TIME_TO_LEARN_WAIT_MS) return null;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function call(options: HarnessOptions, key: string, query: string, variables: Record<string, unknown>): Promise<void> {
  dataOf(await graphql(options.gatewayUrl, query, variables, { apiKey: key }));
}

async function runSlice(stream: LabelledQuestion[], from: number, to: number, concurrency: number, ask: (q: LabelledQuestion, index: number) => Promise<void>): Promise<void> {
  const indexes = Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  await mapConcurrent(indexes, concurrency, (index) => ask(stream[index]!, index));
}

/** Runs `fn` over items with at most `limit` at once; results in input order. */
async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function groupByLabel(questions: readonly LabelledQuestion[]): Map<string, LabelledQuestion[]> {
  const groups = new Map<string, LabelledQuestion[]>();
  for (const q of questions) groups.set(q.label, [...(groups.get(q.label) ?? []), q]);
  return groups;
}

function pick<T>(items: T[] | undefined, seed: number): T | undefined {
  if (!items?.length) return undefined;
  return items[Math.floor(prng(seed)() * items.length)];
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
