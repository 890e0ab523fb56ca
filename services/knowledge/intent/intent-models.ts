/**
 * One intent model per workspace, kept in this process and fed from Postgres, which stays the only record:
 * what the model knows is every published article (its title and sentences) and every learned question
 * variant. A new workspace's model is built in the background on first use (retrieval answers without it
 * meanwhile); after that, each question variant learned here is applied at once, and variants learned by
 * other replicas arrive through a catch-up query at most CATCH_UP_MS later. Nothing is retrained: each
 * example is one online update plus a few replayed ones (replaying-model.ts).
 */
import type { DataSource } from 'typeorm';
import type { Logger } from '../../shared/logger';
import type { IntentPrediction } from './intent-model';
import { seededBy } from '../../shared/random';
import { ReplayingModel, articleSentences } from './replaying-model';

const CATCH_UP_MS = 1_000;

interface WorkspaceModel {
  model: ReplayingModel;
  /** Question variants already learned, so a catch-up never applies one twice. */
  learnedVariants: Set<string>;
  learnedItems: Set<string>;
  /** Superseded learned answer → the answer that replaced it (its examples now teach the replacement). */
  successors: Map<string, string>;
  syncedAt: Date;
  lastCatchUp: number;
  /** Learned question variants (not article text): with none, the model has nothing to say beyond retrieval. */
  variants: number;
}

export interface IntentVerdict {
  ranked: IntentPrediction[];
  /** Learned question variants behind the model. */
  variants: number;
}

export class IntentModels {
  private readonly models = new Map<string, WorkspaceModel>();
  private readonly building = new Map<string, Promise<void>>();

  constructor(
    private readonly db: DataSource,
    private readonly logger?: Logger,
  ) {}

  /** Items ranked for a question, or null while the workspace's model is still being built. */
  async rank(workspaceId: string, question: string): Promise<IntentVerdict | null> {
    const state = this.models.get(workspaceId);
    if (!state) {
      this.startBuilding(workspaceId);
      return null;
    }
    if (Date.now() - state.lastCatchUp > CATCH_UP_MS) await this.catchUp(workspaceId, state);
    if (this.models.get(workspaceId) !== state) {
      // The catch-up found a change it cannot apply in place: the model is being rebuilt.
      this.startBuilding(workspaceId);
      return null;
    }
    return { ranked: state.model.rank(question), variants: state.variants };
  }

  /** A variant this process just learned (after its transaction committed). */
  learnedVariant(workspaceId: string, variantId: string, text: string, itemId: string): void {
    const state = this.models.get(workspaceId);
    if (!state || state.learnedVariants.has(variantId)) return;
    state.learnedVariants.add(variantId);
    state.variants++;
    state.model.learn(text, state.successors.get(itemId) ?? itemId);
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
   * in the background (retrieval answers meanwhile). Other replicas pick up reverts when they restart.
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

  private startBuilding(workspaceId: string): void {
    if (this.building.has(workspaceId)) return;
    const started = Date.now();
    const build = (async () => {
      const state: WorkspaceModel = { model: new ReplayingModel(seededBy(workspaceId)), learnedVariants: new Set(), learnedItems: new Set(), successors: new Map(), syncedAt: new Date(0), lastCatchUp: 0, variants: 0 };
      await this.catchUp(workspaceId, state);
      this.models.set(workspaceId, state);
      this.logger?.info({ workspaceId, examples: state.model.size, variants: state.variants, ms: Date.now() - started }, 'intent model built');
    })()
      .catch((error: unknown) => this.logger?.warn({ err: error, workspaceId }, 'intent model not built; retrieval answers alone'))
      .finally(() => this.building.delete(workspaceId));
    this.building.set(workspaceId, build);
  }

  /** Articles published, answers superseded and variants learned since the last look, in the order they happened. */
  private async catchUp(workspaceId: string, state: WorkspaceModel): Promise<void> {
    state.lastCatchUp = Date.now();
    const since = state.syncedAt;
    const successions: Array<{ id: string; successorId: string | null; at: Date }> = await this.db.query(
      `SELECT i.id, s.id AS "successorId", i.updated_at AS at FROM knowledge.knowledge_items i
         LEFT JOIN knowledge.knowledge_items s ON s.id = i.superseded_by AND s.status = 'published'
        WHERE i.workspace_id = $1 AND i.kind = 'learned_answer' AND i.updated_at > $2::timestamptz - interval '5 seconds'
          AND (i.superseded_by IS NOT NULL OR i.id = ANY($3::uuid[]))`,
      [workspaceId, since, [...state.successors.keys()]],
    );
    if (successions.some((row) => row.successorId === null && state.successors.has(row.id))) {
      // A succession was taken back (a revert, an edit): rebuild from Postgres rather than unpick the updates.
      this.forget(workspaceId);
      return;
    }
    const articles: Array<{ id: string; title: string; body: string; at: Date }> = await this.db.query(
      `SELECT id, title, body, updated_at AS at FROM knowledge.knowledge_items
        WHERE workspace_id = $1 AND kind = 'article' AND status = 'published' AND updated_at > $2 ORDER BY updated_at`,
      [workspaceId, since],
    );
    for (const article of articles) {
      if (state.learnedItems.has(article.id)) continue;
      state.learnedItems.add(article.id);
      for (const text of [article.title, ...articleSentences(article.body)]) state.model.learn(text, article.id, false);
    }
    for (const row of successions) if (row.successorId) this.applySuccession(state, row.id, row.successorId);
    const variants: Array<{ id: string; text: string; itemId: string; at: Date }> = await this.db.query(
      `SELECT v.id, v.text, coalesce(s.id, v.item_id) AS "itemId", v.created_at AS at
         FROM knowledge.question_variants v
         JOIN knowledge.knowledge_items i ON i.id = v.item_id
         LEFT JOIN knowledge.knowledge_items s ON s.id = i.superseded_by AND s.status = 'published'
        WHERE v.workspace_id = $1 AND v.created_at > $2::timestamptz - interval '5 seconds' ORDER BY v.created_at, v.id`,
      [workspaceId, since],
    );
    for (const variant of variants) {
      if (state.learnedVariants.has(variant.id)) continue;
      state.learnedVariants.add(variant.id);
      state.variants++;
      state.model.learn(variant.text, variant.itemId);
    }
    // Five seconds of overlap: a transaction that committed late with an earlier timestamp is still seen.
    const latest = [...articles.map((a) => a.at), ...successions.map((r) => r.at), ...variants.map((v) => v.at)].reduce((max, at) => (at > max ? at : max), since);
    state.syncedAt = latest;
  }

  private applySuccession(state: WorkspaceModel, itemId: string, successorId: string): void {
    if (itemId === successorId || state.successors.get(itemId) === successorId) return;
    state.successors.set(itemId, successorId);
    // Whatever an earlier answer passed on to this one now passes on to its replacement.
    for (const [earlier, successor] of state.successors) if (successor === itemId) state.successors.set(earlier, successorId);
    state.model.relabel(itemId, successorId);
  }
}

