/**
 * The learning benchmark's harness: replays a labelled data set through the running system, through the
 * gateway's GraphQL API only, with the roles a deployment uses (admin imports and previews, the widget asks,
 * rates and asks for a person, an agent claims and corrects). The system is never told a label: the harness
 * keeps its own map from knowledge ids to labels, from the import and from what each correction returns.
 *
 * One run drives two workspaces with the same stream: one that keeps learning, and a "train once, deploy
 * forever" baseline that learns from the first part of the stream the same way, then has its learning frozen
 * (the workspace setting) and keeps receiving the stream and the product changes. Both are scored at every
 * checkpoint.
 */
import { performance } from 'node:perf_hooks';
import { Progress } from '../../../services/shared/progress';
import { dataOf, graphql } from '../../helpers/graphql';
import { Dataset, LabelledQuestion, shuffled, takePerLabel, takeShots } from './dataset';
import { DEV_SPLIT, devSplit } from './dev-split';
import { mapConcurrent } from '../bench-support';
import { ScoredAnswer, scoreCheckpoint } from './scoring';

export type WorkspaceRole = 'learning' | 'frozen';

export interface HarnessOptions {
  gatewayUrl: string;
  /** An operator key, which creates workspaces (the benchmark makes one per curve). */
  operatorKey: string;
  dataset: Dataset;
  seed: number;
  /** Only this many stream questions per label (the stream keeps its shuffled order). */
  shots?: number;
  /** Fractions of the stream after which the evaluation questions are scored. */
  checkpoints: number[];
  /** Share of the stream the baseline learns from before its learning is frozen; null: no baseline. */
  freezeAt: number | null;
  /** test: test.csv (results); dev: the dev split of train.csv (tuning runs). */
  evaluateOn: 'test' | 'dev';
  /** Score at most this many evaluation questions (a seeded sample); all by default. */
  testLimit?: number;
  /** Labels whose right answer changes halfway (half announced by a product change first); 0 turns it off. */
  changedLabels: number;
  /** Customers asking at once, per workspace. */
  concurrency: number;
  /** Measure time to learn on every n-th correction of the learning workspace. */
  timeToLearnEvery: number;
  /** Train questions of each label held out of the stream, to probe how far one correction reaches. */
  probesPerLabel: number;
  log: (line: string) => void;
  /** Told the result so far after every checkpoint (a run stopped part-way still leaves its figures). */
  onCheckpoint?: (partial: HarnessResult) => void;
}

/** One checkpoint of one workspace, over the evaluation questions. */
export interface CheckpointResult {
  /** Share of the stream seen before scoring. */
  fraction: number;
  questionsSeen: number;
  correctionsSoFar: number;
  /** Share of questions the system answers on its own at its own learned thresholds (the rest it hands off). */
  answeredShare: number;
  /** Of those answers, the share grounded in the question's label (null when it answers none). */
  answeredPrecision: number | null;
  /** Share whose top item (answered or handed off with) is grounded in the label. */
  top1: number;
  /**
   * Oracle: the largest share that could be answered with ≥ 95% of them right, had the cut-off on the system's
   * confidence been chosen after the fact on these very questions and their labels. No deployment can do that.
   */
  oracleAutomationAt95: number;
  oracleConfidenceCut: number | null;
  /** Questions whose preview failed three times (a loaded machine times some out): scored as handed off and wrong. */
  previewErrors: number;
}

export interface StreamTotals {
  asked: number;
  answeredRight: number;
  answeredWrong: number;
  handedOff: number;
  corrections: number;
  learnedAnswersCreated: number;
  variantsAdded: number;
  /** Corrections a frozen workspace delivered without learning. */
  notLearned: number;
  /** Stream questions whose flow failed part-way (a timed-out request); they are not retried. */
  failed: number;
}

export interface ChangedLabel {
  label: string;
  announced: boolean;
  /** Answers given on their own (not handed off) from knowledge that predates the change, after it. */
  staleAnswers: number;
  /** Questions of the label asked after the change. */
  askedAfter: number;
}

export interface WorkspaceRun {
  role: WorkspaceRole;
  workspaceId: string;
  /** Stream questions it learned from before its learning was frozen; null: never frozen. */
  frozenAfter: number | null;
  checkpoints: CheckpointResult[];
  totals: StreamTotals;
  changedLabels: ChangedLabel[];
}

/** How a probe ended when it was not answered from the correction in time. */
export type ProbeMiss = 'handed_off' | 'answered_right_from_other_item' | 'answered_wrong' | 'answered_from_it_after_wait';

export interface ProbeSummary {
  /** Every sampled correction: a miss counts against the shares. */
  sampled: number;
  within1s: number;
  within3s: number;
  /** Share of samples answered from the correction's item within 1 s / 3 s of it returning. */
  shareWithin1s: number | null;
  shareWithin3s: number | null;
  /** How the samples not answered from it within 3 s last looked. */
  misses: Record<ProbeMiss, number>;
}

export interface TimeToLearn {
  waitMs: number;
  /** The corrected question reworded (lower case, no punctuation, a greeting in front): how fast a lesson takes effect. */
  reworded: ProbeSummary;
  /** Another train question of the same label, held out of the stream so the system has never seen it: how far one lesson reaches. */
  unseenParaphrase: ProbeSummary;
}

export interface SplitRecord {
  /** Every constant tuned by looking at results was tuned on the dev split, never on test.csv. */
  tuning: 'dev-split';
  devSeed: number;
  devFraction: number;
  /** train.csv questions in the dev split (never streamed). */
  dev: number;
  /** train.csv questions held out as unseen paraphrases for time to learn (never streamed). */
  probes: number;
  /** train.csv questions left for the stream (before --shots). */
  streamPool: number;
}

export interface HarnessResult {
  /** Set while the run is still going (or was stopped): the checkpoints so far. */
  partial?: { checkpointsDone: number; checkpointsPlanned: number };
  split: SplitRecord;
  evaluatedOn: 'test' | 'dev';
  streamLength: number;
  evaluationQuestions: number;
  learning: WorkspaceRun;
  frozen: WorkspaceRun | null;
  timeToLearn: TimeToLearn;
  durationSeconds: number;
}

/** The corrected question as a customer might send it again: same words, different surface. */
function reword(question: string): string {
  return `hi, ${question.toLowerCase().replace(/[^\p{L}\p{N}\s']/gu, ' ').replace(/\s+/g, ' ').trim()}`;
}

const ASK = `mutation($input: AskInput!) { ask(input: $input) { decision confidence conversationSecret conversation { id } message { id citations { knowledgeItem { id } } } } }`;
const PREVIEW = `query($input: PreviewAnswerInput!) { previewAnswer(input: $input) { decision confidence candidate { id } citations { knowledgeItem { id } } } }`;
const CORRECT = `mutation($input: CorrectAnswerInput!) { correctAnswer(input: $input) { learning learnedAnswer { id } } }`;
const TIME_TO_LEARN_WAIT_MS = 3_000;

interface Keys {
  workspaceId: string;
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

interface Preview {
  decision: string;
  confidence: number;
  candidate: { id: string } | null;
  citations: Array<{ knowledgeItem: { id: string } }>;
}

const itemOf = (preview: Preview): string | undefined => preview.candidate?.id ?? preview.citations[0]?.knowledgeItem.id;

/** One workspace fed the stream: its keys, what the harness knows of its knowledge, and what it has seen. */
class BenchWorkspace {
  readonly grounding = new Grounding();
  readonly totals: StreamTotals = { asked: 0, answeredRight: 0, answeredWrong: 0, handedOff: 0, corrections: 0, learnedAnswersCreated: 0, variantsAdded: 0, notLearned: 0, failed: 0 };
  readonly changed = new Map<string, ChangedLabel>();
  readonly checkpoints: CheckpointResult[] = [];
  frozenAfter: number | null = null;

  private constructor(
    readonly role: WorkspaceRole,
    readonly keys: Keys,
    private readonly options: HarnessOptions,
  ) {}

  static async open(role: WorkspaceRole, options: HarnessOptions): Promise<BenchWorkspace> {
    const workspace = new BenchWorkspace(role, await createWorkspace(options, role), options);
    await workspace.importArticles();
    return workspace;
  }

  /** The admin preview; it records nothing, so a timed-out one is safely asked again (three tries). */
  preview = async (text: string): Promise<Preview> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return dataOf(await graphql(this.options.gatewayUrl, PREVIEW, { input: { text } }, { apiKey: this.keys.admin })).previewAnswer;
      } catch (error) {
        if (attempt >= 3) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  };

  async score(fraction: number, seen: number, questions: readonly LabelledQuestion[]): Promise<void> {
    let previewErrors = 0;
    const progress = new Progress(`${this.role} scoring`, { unit: 'questions', total: questions.length, write: this.options.log });
    const answers = await mapConcurrent(questions, this.options.concurrency, async (q): Promise<ScoredAnswer> => {
      const preview = await this.preview(q.text).catch(() => null);
      progress.advance();
      if (!preview) {
        previewErrors++;
        return { correct: false, confidence: 0, answered: false };
      }
      return { correct: this.grounding.isRight(itemOf(preview), q.label), confidence: preview.confidence, answered: preview.decision === 'ANSWERED' };
    });
    progress.finish();
    const score = scoreCheckpoint(answers);
    const result: CheckpointResult = {
      fraction,
      questionsSeen: seen,
      correctionsSoFar: this.totals.corrections,
      answeredShare: 1 - score.handOffRate,
      answeredPrecision: score.answeredPrecision,
      top1: score.top1,
      oracleAutomationAt95: score.automationAtPrecision,
      oracleConfidenceCut: score.confidenceCut,
      previewErrors,
    };
    this.checkpoints.push(result);
    this.options.log(
      `${this.role.padEnd(8)} ${(fraction * 100).toFixed(0).padStart(3)}% (${seen} asked): answers ${pct(result.answeredShare)} at its thresholds, ${pct(result.answeredPrecision)} of them right; top-1 ${pct(result.top1)}; oracle automation at 95% ${pct(result.oracleAutomationAt95)}`,
    );
  }

  /** One customer question through the whole flow; returns the correction's learned item when an agent taught one. */
  async ask(q: LabelledQuestion, afterChange: boolean): Promise<string | null> {
    const { gatewayUrl } = this.options;
    const turn = dataOf(await graphql(gatewayUrl, ASK, { input: { text: q.text } }, { apiKey: this.keys.widget })).ask;
    this.totals.asked++;
    const cited: string | undefined = turn.message.citations[0]?.knowledgeItem.id;
    const answered = turn.decision === 'ANSWERED';
    const change = this.changed.get(q.label);
    if (change && afterChange) {
      change.askedAfter++;
      if (answered && this.grounding.isStale(cited)) change.staleAnswers++;
    }
    if (answered && this.grounding.isRight(cited, q.label)) {
      this.totals.answeredRight++;
      await this.call(this.keys.widget, `mutation($input: RateAnswerInput!) { rateAnswer(input: $input) { rating } }`, { input: { messageId: turn.message.id, rating: 'UP', conversationSecret: turn.conversationSecret } });
      await this.call(this.keys.widget, `mutation($input: ConversationRef!) { markResolved(input: $input) { status } }`, { input: { conversationId: turn.conversation.id, conversationSecret: turn.conversationSecret } });
      return null;
    }
    if (answered) {
      this.totals.answeredWrong++;
      await this.call(this.keys.widget, `mutation($input: RateAnswerInput!) { rateAnswer(input: $input) { rating } }`, { input: { messageId: turn.message.id, rating: 'DOWN', conversationSecret: turn.conversationSecret } });
      await this.call(this.keys.widget, `mutation($input: ConversationRef!) { requestHuman(input: $input) { status } }`, { input: { conversationId: turn.conversation.id, conversationSecret: turn.conversationSecret } });
    } else {
      this.totals.handedOff++;
    }
    await this.call(this.keys.agent, `mutation($input: ConversationRef!) { claimConversation(input: $input) { claimedBy } }`, { input: { conversationId: turn.conversation.id } });
    const article = this.grounding.articleOf.get(q.label)!;
    const correction = dataOf(
      await graphql(gatewayUrl, CORRECT, { input: { messageId: turn.message.id, correctedText: article.body, knowledgeItemIds: [article.id] } }, { apiKey: this.keys.agent }),
    ).correctAnswer;
    this.totals.corrections++;
    if (correction.learning === 'NOT_LEARNED') {
      this.totals.notLearned++;
      return null;
    }
    if (correction.learning === 'CREATED') this.totals.learnedAnswersCreated++;
    else this.totals.variantsAdded++;
    this.grounding.learned(q.label, correction.learnedAnswer.id);
    return correction.learnedAnswer.id as string;
  }

  async freeze(afterQuestions: number): Promise<void> {
    await this.call(this.keys.admin, `mutation($input: UpdateLearningSettingsInput!) { updateLearningSettings(input: $input) { learningFrozen } }`, { input: { learningFrozen: true } });
    this.frozenAfter = afterQuestions;
    this.options.log(`${this.role}: learning frozen after ${afterQuestions} questions`);
  }

  /**
   * Halfway: the right answer changes for some labels. For the first half of them a product change naming the
   * article is recorded first (announced); the others change silently. Either way the article gets a new body.
   */
  async changeAnswers(labels: readonly string[]): Promise<void> {
    for (const [index, label] of labels.entries()) {
      const article = this.grounding.articleOf.get(label)!;
      const announced = index < Math.ceil(labels.length / 2);
      if (announced) {
        await this.call(this.keys.admin, `mutation($input: RecordProductChangeInput!) { recordProductChange(input: $input) { id } }`, {
          input: { kind: 'RELEASE_NOTE', title: `Change to "${article.title}"`, description: 'The process described in this article changed.', productAreas: [], knowledgeItemIds: [article.id] },
        });
      }
      const newBody = `Since our latest release this works differently. ${article.body}\n\n(Updated: the steps above replace the previous process for "${article.title}".)`;
      await this.call(this.keys.admin, `mutation($input: UpdateArticleInput!) { updateArticle(input: $input) { version } }`, { input: { id: article.id, body: newBody } });
      this.grounding.changed(label, newBody);
      this.changed.set(label, { label, announced, staleAnswers: 0, askedAfter: 0 });
    }
    this.options.log(`${this.role}: changed the answer of ${labels.length} labels (${Math.ceil(labels.length / 2)} announced by a product change)`);
  }

  result(): WorkspaceRun {
    return { role: this.role, workspaceId: this.keys.workspaceId, frozenAfter: this.frozenAfter, checkpoints: this.checkpoints, totals: this.totals, changedLabels: [...this.changed.values()] };
  }

  private async importArticles(): Promise<void> {
    const IMPORT = `mutation($input: ImportArticlesInput!) { importArticles(input: $input) { items { id externalKey body title } } }`;
    const { articles } = this.options.dataset;
    for (let start = 0; start < articles.length; start += 200) {
      const { items } = dataOf(await graphql(this.options.gatewayUrl, IMPORT, { input: { articles: articles.slice(start, start + 200) } }, { apiKey: this.keys.admin })).importArticles;
      for (const item of items as Array<{ id: string; externalKey: string; body: string; title: string }>) this.grounding.article(item.externalKey, item.id, item.body, item.title);
    }
  }

  private async call(key: string, query: string, variables: Record<string, unknown>): Promise<void> {
    dataOf(await graphql(this.options.gatewayUrl, query, variables, { apiKey: key }));
  }
}

/** Time to learn over every sampled correction: a probe not answered from the correction within the wait is a miss. */
class TimeToLearnProbes {
  private readonly reworded: Array<number | ProbeMiss> = [];
  private readonly unseen: Array<number | ProbeMiss> = [];

  constructor(
    private readonly workspace: BenchWorkspace,
    private readonly probes: Map<string, LabelledQuestion[]>,
  ) {}

  async sample(q: LabelledQuestion, taughtItemId: string, returnedAt: number, index: number): Promise<void> {
    const pool = this.probes.get(q.label);
    if (!pool?.length) return;
    const unseen = pool[index % pool.length]!;
    const [again, other] = await Promise.all([this.until(reword(q.text), q.label, taughtItemId, returnedAt), this.until(unseen.text, q.label, taughtItemId, returnedAt)]);
    this.reworded.push(again);
    this.unseen.push(other);
  }

  result(): TimeToLearn {
    return { waitMs: TIME_TO_LEARN_WAIT_MS, reworded: summarise(this.reworded), unseenParaphrase: summarise(this.unseen) };
  }

  /** Polls the preview until the text is answered from `itemId`: ms since `since`, or how it last looked after the wait. */
  private async until(text: string, label: string, itemId: string, since: number): Promise<number | ProbeMiss> {
    for (;;) {
      const preview = await this.workspace.preview(text);
      const now = performance.now();
      const answered = preview.decision === 'ANSWERED';
      if (answered && (preview.citations[0]?.knowledgeItem.id === itemId || preview.candidate?.id === itemId)) return now - since;
      if (now - since > TIME_TO_LEARN_WAIT_MS) {
        if (!answered) return 'handed_off';
        return this.workspace.grounding.isRight(itemOf(preview), label) ? 'answered_right_from_other_item' : 'answered_wrong';
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

function summarise(samples: Array<number | ProbeMiss>): ProbeSummary {
  const misses: Record<ProbeMiss, number> = { handed_off: 0, answered_right_from_other_item: 0, answered_wrong: 0, answered_from_it_after_wait: 0 };
  let within1s = 0;
  let within3s = 0;
  for (const s of samples) {
    if (typeof s !== 'number') misses[s]++;
    else if (s > TIME_TO_LEARN_WAIT_MS) misses.answered_from_it_after_wait++;
    else {
      within3s++;
      if (s <= 1_000) within1s++;
    }
  }
  const share = (n: number) => (samples.length ? n / samples.length : null);
  return { sampled: samples.length, within1s, within3s, shareWithin1s: share(within1s), shareWithin3s: share(within3s), misses };
}

export async function runHarness(options: HarnessOptions): Promise<HarnessResult> {
  const started = performance.now();
  const { dataset, log } = options;

  // Dev split first (fixed seed), then the probes, then the stream: neither the dev questions nor the probes are ever streamed.
  const split = devSplit(dataset.train);
  const held = takePerLabel(split.rest, () => options.probesPerLabel, options.seed + 11);
  let stream = shuffled(held.rest, options.seed);
  if (options.shots !== undefined) stream = takeShots(stream, options.shots);
  const pool = options.evaluateOn === 'dev' ? split.dev : dataset.test;
  const evaluation = options.testLimit !== undefined && options.testLimit < pool.length ? shuffled(pool, options.seed + 1).slice(0, options.testLimit) : pool;
  log(`dev split ${split.dev.length}, probes ${held.taken.length}, stream ${stream.length}, scoring ${evaluation.length} ${options.evaluateOn} questions`);

  const learning = await BenchWorkspace.open('learning', options);
  const frozen = options.freezeAt === null ? null : await BenchWorkspace.open('frozen', options);
  const workspaces = frozen ? [learning, frozen] : [learning];
  const probes = new TimeToLearnProbes(learning, groupByLabel(held.taken));

  const changeAt = options.changedLabels > 0 ? Math.floor(stream.length / 2) : -1;
  const freezeMark = options.freezeAt === null ? -1 : Math.round(options.freezeAt * stream.length);
  const changedLabels = shuffled([...new Set(stream.map((q) => q.label))], options.seed + 7).slice(0, Math.max(0, options.changedLabels));
  const scoreMarks = new Set(options.checkpoints.map((f) => Math.round(f * stream.length)));
  const boundaries = [...new Set([...scoreMarks, ...(changeAt >= 0 ? [changeAt] : []), ...(freezeMark >= 0 ? [freezeMark] : [])])].sort((a, b) => a - b);

  // Every workspace asks the whole stream: one count over all of them, so the estimate holds across the turns they take.
  const streaming = new Progress('stream', { unit: 'questions asked', total: stream.length * workspaces.length, write: log });
  const askIn = (workspace: BenchWorkspace) => async (index: number) => {
    const q = stream[index]!;
    const taught = await workspace.ask(q, changeAt >= 0 && index >= changeAt).catch((error: unknown) => {
      if (workspace.totals.failed++ < 5) log(`${workspace.role}: question ${index} failed part-way (${String(error).slice(0, 200)})`);
      return null;
    });
    const returnedAt = performance.now();
    streaming.advance();
    if (taught && workspace === learning && workspace.totals.corrections % options.timeToLearnEvery === 0) await probes.sample(q, taught, returnedAt, index);
  };

  let done = 0;
  for (const mark of boundaries) {
    const indexes = Array.from({ length: Math.max(0, mark - done) }, (_, i) => done + i);
    // One workspace at a time, so the learning workspace's time to learn is measured under its own load only.
    for (const workspace of workspaces) await mapConcurrent(indexes, options.concurrency, askIn(workspace));
    done = Math.max(done, mark);
    if (frozen && mark === freezeMark) await frozen.freeze(mark);
    if (mark === changeAt) for (const workspace of workspaces) await workspace.changeAnswers(changedLabels);
    if (scoreMarks.has(mark)) {
      for (const workspace of workspaces) await workspace.score(mark / stream.length, mark, evaluation);
      options.onCheckpoint?.({ ...result(), partial: { checkpointsDone: learning.result().checkpoints.length, checkpointsPlanned: scoreMarks.size } });
    }
  }
  streaming.finish();
  return result();

  function result(): HarnessResult {
    return {
    split: { tuning: 'dev-split', devSeed: DEV_SPLIT.seed, devFraction: DEV_SPLIT.fraction, dev: split.dev.length, probes: held.taken.length, streamPool: held.rest.length },
    evaluatedOn: options.evaluateOn,
    streamLength: stream.length,
    evaluationQuestions: evaluation.length,
    learning: learning.result(),
    frozen: frozen?.result() ?? null,
    timeToLearn: probes.result(),
    durationSeconds: (performance.now() - started) / 1000,
    };
  }
}

async function createWorkspace(options: HarnessOptions, role: WorkspaceRole): Promise<Keys> {
  const name = `bench ${options.dataset.name} ${role} seed ${options.seed} ${new Date().toISOString()}`;
  const created = dataOf(
    await graphql(options.gatewayUrl, 'mutation($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { workspace { id } adminKey } }', { input: { name } }, { apiKey: options.operatorKey }),
  ).createWorkspace;
  const key = async (keyRole: string) =>
    dataOf(await graphql(options.gatewayUrl, 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { role: keyRole, label: `bench ${keyRole.toLowerCase()}` } }, { apiKey: created.adminKey }))
      .createApiKey.secret as string;
  return { workspaceId: created.workspace.id, admin: created.adminKey, agent: await key('AGENT'), widget: await key('WIDGET') };
}

function groupByLabel(questions: readonly LabelledQuestion[]): Map<string, LabelledQuestion[]> {
  const groups = new Map<string, LabelledQuestion[]>();
  for (const q of questions) groups.set(q.label, [...(groups.get(q.label) ?? []), q]);
  return groups;
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
