/**
 * One intent model per workspace, kept in this process and fed from Postgres, which stays the only record:
 * what the model knows is every published article (its title and sentences, at its current version) and every
 * learned question variant of an item that is not archived. A workspace's model is built in the background on
 * first use (retrieval answers without it meanwhile); after that, each question variant learned here is applied
 * at once, and what other replicas changed (variants, edited or archived items, successions) arrives through a
 * catch-up query at most CATCH_UP_MS later. Nothing is retrained: each example is one online update plus a few
 * replayed ones (replaying-model.ts).
 *
 * The models a process holds are bounded (IntentModelBounds): past the bound, the least recently used model is
 * dropped, and rebuilt from Postgres the next time its workspace asks (retrieval answers while it builds).
 */
import type { DataSource } from 'typeorm';
import type { Logger } from '../../shared/logger';
import type { IntentPrediction } from './intent-model';
import { seededBy } from '../../shared/random';
import type { AskedIn, ItemScope } from './item-scope';
import { ReplayingModel, articleSentences } from './replaying-model';
import { NearQuestion, TaughtQuestions } from './taught-questions';
import { WordVectors, wordVectors } from './word-vectors';
import { ARCHIVED_ITEMS_SQL, ARTICLES_SQL, CATCH_UP_MARKS_SQL, ITEM_VARIANTS_SQL, SUCCESSIONS_SQL, VARIANTS_SQL } from './intent-models.queries';

const CATCH_UP_MS = 1_000;
/** Catch-up queries look this far behind where they last stopped (a margin; open transactions are waited for, below). */
const OVERLAP_MS = 5_000;
/** The farthest an open transaction holds a catch-up's starting point back (one open longer is not waited for). */
const MAX_HOLD_BACK_MS = 10 * 60_000;
/** A variant learned here that no catch-up has seen yet is remembered at most this long (it normally shows up within a second). */
const UNSEEN_VARIANT_MS = 10 * 60_000;
/** Articles seeded between two yields to the event loop during a catch-up. */
const YIELD_EVERY_ARTICLES = 100;
/** Rough bytes of bookkeeping per remembered id (a uuid string and its map entry). */
const BYTES_PER_ID = 120;

export interface IntentModelBounds {
  /** Most workspace models held at once. */
  maxModels: number;
  /** Most bytes (weights, sums, replay memory, bookkeeping) held by all models together. */
  maxBytes: number;
}

export const DEFAULT_INTENT_MODEL_BOUNDS: Readonly<IntentModelBounds> = Object.freeze({ maxModels: 1_000, maxBytes: 256 * 1024 * 1024 });

interface WorkspaceModel {
  model: ReplayingModel;
  /** Variants learned within the catch-up's overlap window: id → created_at in ms (or when learned here, negated, until a catch-up sees it). */
  recentVariants: Map<string, number>;
  /** Articles learned, at the version learned. */
  articles: Map<string, number>;
  /** Superseded learned answer → the answer that replaced it (its examples now teach the replacement). */
  successors: Map<string, string>;
  syncedAt: Date;
  lastCatchUp: number;
  catchingUp?: Promise<void>;
  /** When the catch-up in flight (or the last one) began, and when this process last changed the workspace's knowledge. */
  catchUpBegan: number;
  changedAt: number;
  /** Learned question variants (not article text): with none, the model has nothing to say beyond retrieval. */
  variants: number;
  /** The same variants' texts, for retrieval's taught-question lookup. */
  taughtQuestions: TaughtQuestions;
  /** The workspace's intent-model epoch the model was built at (null until its first catch-up): a moved one rebuilds it. */
  epoch: string | null;
}

export interface IntentVerdict {
  /** Computed when first read, from the model as it is then. */
  readonly ranked: IntentPrediction[];
  /** Learned question variants behind the model. */
  variants: number;
  /** Questions the model was taught for an item (0: it knows the item only from its article's text). */
  taught: (itemId: string) => number;
  /**
   * The taught questions at least `floor` near the question by trigram similarity, nearest first: all that
   * Postgres's own search would find (and perhaps more) of the variants the model has heard of.
   */
  nearTaught: (floor: number, limit: number) => NearQuestion[];
}

export class IntentModels {
  /** In least- to most-recently-used order (a Map keeps insertion order; a use re-inserts). */
  private readonly models = new Map<string, WorkspaceModel>();
  private readonly building = new Map<string, Promise<void>>();
  /** Read when the process starts, not when the first workspace asks. */
  private readonly vectors: WordVectors;

  constructor(
    private readonly db: DataSource,
    private readonly logger?: Logger,
    private readonly bounds: IntentModelBounds = DEFAULT_INTENT_MODEL_BOUNDS,
  ) {
    this.vectors = wordVectors((message) => logger?.info(message));
  }

  /** Items ranked for a question, or null while the workspace's model is still being built. */
  async rank(workspaceId: string, question: string): Promise<IntentVerdict | null> {
    const state = this.use(workspaceId);
    if (!state) {
      this.startBuilding(workspaceId);
      return null;
    }
    const before = state.model.matrixBytes;
    await this.catchUpIfDue(workspaceId, state);
    if (state.model.matrixBytes > before) this.evictBeyondBounds(workspaceId);
    if (this.models.get(workspaceId) !== state) {
      // The catch-up found a change it cannot apply in place: the model is being rebuilt.
      this.startBuilding(workspaceId);
      return null;
    }
    // Ranked when first read: a workspace with no learned questions yet (day one) never needs the model's ranking for retrieval.
    let ranked: IntentPrediction[] | undefined;
    return {
      get ranked() {
        return (ranked ??= state.model.rank(question));
      },
      variants: state.variants,
      taught: (itemId) => state.model.taught(itemId),
      nearTaught: (floor, limit) => state.taughtQuestions.near(question, floor, limit),
    };
  }

  /** A variant this process just learned (after its transaction committed); `scope`: where its item is served, when known. */
  learnedVariant(workspaceId: string, variantId: string, text: string, itemId: string, scope?: ItemScope, asked?: AskedIn): void {
    const state = this.models.get(workspaceId);
    if (!state || state.recentVariants.has(variantId)) return;
    state.recentVariants.set(variantId, -Date.now());
    state.variants++;
    state.taughtQuestions.add(variantId, text);
    const before = state.model.matrixBytes;
    const learner = state.successors.get(itemId) ?? itemId;
    if (scope && learner === itemId) state.model.scope(itemId, scope);
    state.model.learn(text, learner, true, asked);
    if (state.model.matrixBytes > before) this.evictBeyondBounds(workspaceId);
  }

  /**
   * Knowledge changed here in a way only a catch-up applies (an article edited, an item archived): the next
   * question catches up first, so it is answered by a model that knows.
   */
  changed(workspaceId: string): void {
    const state = this.models.get(workspaceId);
    if (state) (state.lastCatchUp = 0), (state.changedAt = Date.now());
  }

  /** The items the model would choose for a question, best first; empty while the workspace's model is being built. */
  async choice(workspaceId: string, question: string, limit = 3): Promise<string[]> {
    const verdict = await this.rank(workspaceId, question);
    return verdict ? verdict.ranked.slice(0, limit).map((p) => p.itemId) : [];
  }

  /**
   * A stale learned answer was replaced by a newer one (after that one's transaction committed): the questions
   * it was taught are relearned as questions of its replacement, and the model forgets it.
   */
  superseded(workspaceId: string, itemId: string, successorId: string): void {
    const state = this.models.get(workspaceId);
    if (state) this.applySuccession(state, itemId, successorId);
  }

  /**
   * Drops a workspace's model after a revert took back a variant: the next question rebuilds it from Postgres
   * in the background (retrieval answers meanwhile). Other replicas rebuild at their next catch-up: the revert moved the workspace's epoch.
   */
  forget(workspaceId: string): void {
    this.models.delete(workspaceId);
  }

  /** Waits for a workspace's model (tests and warm-up). */
  async ready(workspaceId: string): Promise<void> {
    if (this.models.has(workspaceId)) return;
    this.startBuilding(workspaceId);
    await this.building.get(workspaceId);
  }

  /** Workspaces whose model this process holds now. */
  held(): string[] {
    return [...this.models.keys()];
  }

  /** Bytes held by one workspace's model, if held. */
  bytesOf(workspaceId: string): number | undefined {
    const state = this.models.get(workspaceId);
    return state ? sizeOf(state) : undefined;
  }

  /** Bytes held by all models (what the bound counts). */
  get bytes(): number {
    let total = 0;
    for (const state of this.models.values()) total += sizeOf(state);
    return total;
  }

  private use(workspaceId: string): WorkspaceModel | undefined {
    const state = this.models.get(workspaceId);
    if (state) {
      this.models.delete(workspaceId);
      this.models.set(workspaceId, state);
    }
    return state;
  }

  private startBuilding(workspaceId: string): void {
    if (this.building.has(workspaceId)) return;
    const started = Date.now();
    const build = (async () => {
      const state: WorkspaceModel = { model: new ReplayingModel(seededBy(workspaceId), { vectors: this.vectors }), recentVariants: new Map(), articles: new Map(), successors: new Map(), syncedAt: new Date(0), lastCatchUp: 0, catchUpBegan: 0, changedAt: -1, variants: 0, taughtQuestions: new TaughtQuestions(), epoch: null };
      await this.catchUp(workspaceId, state);
      this.models.set(workspaceId, state);
      this.evictBeyondBounds(workspaceId);
      this.logger?.info({ workspaceId, examples: state.model.size, variants: state.variants, bytes: sizeOf(state), ms: Date.now() - started }, 'intent model built');
    })()
      .catch((error: unknown) => this.logger?.warn({ err: error, workspaceId }, 'intent model not built; retrieval answers alone'))
      .finally(() => this.building.delete(workspaceId));
    this.building.set(workspaceId, build);
  }

  /** Least recently used models go first; `keep` (just built, or just grown) stays, even alone over the bound. */
  private evictBeyondBounds(keep: string): void {
    let bytes = this.bytes;
    for (const [workspaceId, state] of this.models) {
      if (this.models.size <= this.bounds.maxModels && bytes <= this.bounds.maxBytes) break;
      if (workspaceId === keep) continue;
      this.models.delete(workspaceId);
      bytes -= sizeOf(state);
      this.logger?.debug({ workspaceId }, 'intent model evicted; rebuilt from Postgres when next asked');
    }
  }

  /**
   * One catch-up at a time per model: concurrent questions wait for the one in flight, and then for another if
   * a change here (`changed`) was committed after the one in flight began.
   */
  private async catchUpIfDue(workspaceId: string, state: WorkspaceModel): Promise<void> {
    if (Date.now() - state.lastCatchUp <= CATCH_UP_MS) return;
    for (;;) {
      if (!state.catchingUp) state.catchingUp = this.catchUp(workspaceId, state).finally(() => (state.catchingUp = undefined));
      const began = state.catchUpBegan;
      await state.catchingUp;
      if (state.changedAt < began || this.models.get(workspaceId) !== state) return;
    }
  }

  /** Items archived, articles published or edited, answers superseded and variants learned since the last look, in that order. */
  private async catchUp(workspaceId: string, state: WorkspaceModel): Promise<void> {
    state.lastCatchUp = state.catchUpBegan = Date.now();
    const since = state.syncedAt;
    const [marks] = (await this.db.query(CATCH_UP_MARKS_SQL, [workspaceId])) as Array<{ epoch: string; readAt: Date; oldestOpen: Date | null }>;
    if (state.epoch !== null && marks!.epoch !== state.epoch) {
      // A revert (here or on another replica) took back what the model learned: rebuild from Postgres.
      this.forget(workspaceId);
      return;
    }
    state.epoch = marks!.epoch;
    const successions: Array<{ id: string; successorId: string | null; at: Date }> = await this.db.query(SUCCESSIONS_SQL, [workspaceId, since, [...state.successors.keys()], OVERLAP_MS]);
    if (successions.some((row) => row.successorId === null && state.successors.has(row.id))) {
      // A succession was taken back (a revert, an edit): rebuild from Postgres rather than unpick the updates.
      this.forget(workspaceId);
      return;
    }
    const archived: Array<{ id: string; at: Date }> = await this.db.query(ARCHIVED_ITEMS_SQL, [workspaceId, since, OVERLAP_MS]);
    for (const item of archived) {
      state.articles.delete(item.id);
      state.model.forget(item.id);
    }
    const articles: Array<{ id: string; version: number; title: string; body: string; at: Date }> = await this.db.query(ARTICLES_SQL, [workspaceId, since, OVERLAP_MS]);
    state.model.reserve(state.model.classes + articles.filter((a) => !state.articles.has(a.id)).length);
    let seeded = 0;
    for (const article of articles) {
      const learned = state.articles.get(article.id);
      if (learned === article.version) continue;
      // A large import is seeded in slices, so the questions this process serves meanwhile are not held up.
      if (++seeded % YIELD_EVERY_ARTICLES === 0) await new Promise((resolve) => setImmediate(resolve));
      if (learned !== undefined) state.model.forget(article.id);
      state.articles.set(article.id, article.version);
      for (const text of [article.title, ...articleSentences(article.body)]) state.model.learn(text, article.id, false);
      // An edit (or a return from the archive) starts the article afresh: the questions it answers are taught again.
      if (learned !== undefined || since.getTime() > 0) {
        const taught: Array<{ id: string; text: string; at: Date } & AskedRow> = await this.db.query(ITEM_VARIANTS_SQL, [workspaceId, article.id]);
        for (const variant of taught) {
          if (!state.recentVariants.has(variant.id) && variant.at.getTime() > since.getTime() - OVERLAP_MS) state.variants++;
          state.recentVariants.set(variant.id, variant.at.getTime());
          state.taughtQuestions.add(variant.id, variant.text);
          state.model.learn(variant.text, article.id, true, askedOf(variant));
        }
      }
    }
    for (const row of successions) if (row.successorId) this.applySuccession(state, row.id, row.successorId);
    const variants: Array<{ id: string; text: string; itemId: string; at: Date; scopePlans: string[]; scopeAreas: string[] } & AskedRow> = await this.db.query(VARIANTS_SQL, [workspaceId, since, OVERLAP_MS]);
    for (const variant of variants) {
      const seen = state.recentVariants.get(variant.id);
      state.recentVariants.set(variant.id, variant.at.getTime());
      if (seen !== undefined) continue;
      state.variants++;
      state.taughtQuestions.add(variant.id, variant.text);
      state.model.scope(variant.itemId, { plans: variant.scopePlans, areas: variant.scopeAreas });
      state.model.learn(variant.text, variant.itemId, true, askedOf(variant));
    }
    const latest = [...archived, ...articles, ...successions, ...variants].map((row) => row.at).reduce((max, at) => (at > max ? at : max), since);
    // The next look starts no later than the last change seen, nor than this one's reading of the clock, or the
    // oldest transaction then open (its rows, committed later, carry its start time, which is before the reading).
    const heldBack = marks!.oldestOpen && marks!.oldestOpen.getTime() > marks!.readAt.getTime() - MAX_HOLD_BACK_MS ? marks!.oldestOpen : marks!.readAt;
    state.syncedAt = latest < heldBack ? latest : heldBack;
    // Only variants inside the overlap window can come back; older ids need not be remembered.
    const oldest = state.syncedAt.getTime() - OVERLAP_MS;
    const unseenSince = Date.now() - UNSEEN_VARIANT_MS;
    for (const [id, at] of state.recentVariants) if (at >= 0 ? at < oldest : -at < unseenSince) state.recentVariants.delete(id);
  }

  private applySuccession(state: WorkspaceModel, itemId: string, successorId: string): void {
    if (itemId === successorId || state.successors.get(itemId) === successorId) return;
    state.successors.set(itemId, successorId);
    // Whatever an earlier answer passed on to this one now passes on to its replacement.
    for (const [earlier, successor] of state.successors) if (successor === itemId) state.successors.set(earlier, successorId);
    state.model.relabel(itemId, successorId);
  }
}

/** Where a taught question was asked, as its row keeps it (areas NULL: not known). */
interface AskedRow {
  askedPlan: string | null;
  askedAreas: string[] | null;
}

function askedOf(row: AskedRow): AskedIn | undefined {
  return row.askedAreas ? { plan: row.askedPlan, areas: row.askedAreas } : undefined;
}

function sizeOf(state: WorkspaceModel): number {
  return state.model.bytes + state.taughtQuestions.bytes + (state.recentVariants.size + state.articles.size + state.successors.size) * BYTES_PER_ID;
}
