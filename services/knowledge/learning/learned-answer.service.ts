/**
 * Corrections become knowledge. An agent's corrected answer is stored as a learned answer carrying the
 * customer's question as its first question variant; the same corrected answer again (same text, same
 * references) adds a variant to it instead of a copy. Publication is immediate or waits for review, as the
 * workspace chooses. Every call is idempotent on its key, so a retried activity never learns twice.
 */
import { DEFAULT_LOCALE } from '../knowledge-item/locale';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { conflict, notFound } from '../../shared/errors';
import { normalizeProductArea } from '../../shared/product-areas';
import { MOVE_EPOCH_SQL } from '../intent/intent-models.queries';
import type { AskedIn } from '../intent/item-scope';
import { recordEvents } from '../../shared/outbox';
import { rowsOf } from '../../shared/sql-rows';
import type { CorrectionToLearn, LearnOutcome } from '../contracts';
import { KnowledgeItemEntity } from '../knowledge-item/knowledge-item.entity';
import { recordVersion, writePassages } from '../knowledge-item/knowledge-item.service';
import { recordStaleFlags } from '../knowledge-item/stale-learned-answers';
import { findByIdempotencyKey, getLearningEvent, markReverted, recordLearningEvent } from './learning-events';
import type { AnswerPolicyService } from './answer-policy.service';
import type { SettingsService } from './settings.service';

export type LearnedResult =
  | {
      item: KnowledgeItemEntity;
      /** created: a new learned answer; variant_added: an existing one learned another phrasing. */
      outcome: Exclude<LearnOutcome, 'not_learned'>;
      learningEventId: string;
    }
  /** Learning is frozen in the workspace: nothing was written. */
  | { item: null; outcome: 'not_learned'; learningEventId: null };

const NOT_LEARNED: LearnedResult = { item: null, outcome: 'not_learned', learningEventId: null };

const normalise = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

/** What learning tells the workspace's intent model, and asks it. */
export interface IntentLearner {
  /** A question variant committed (the model learns it at once); `scope`: where its item is served. */
  learnedVariant(workspaceId: string, variantId: string, text: string, itemId: string, scope?: { plans: string[]; areas: string[] }, asked?: AskedIn): void;
  /** A stale learned answer was superseded by a published one. */
  superseded(workspaceId: string, itemId: string, successorId: string): void;
  /** A revert took back what the workspace had learned (the model rebuilds from Postgres). */
  forget(workspaceId: string): void;
  /** Knowledge changed in a way only a catch-up applies (an answer published on approval): the next question catches up first. */
  changed(workspaceId: string): void;
  /** The items the model would choose for a question now, best first. */
  choice(workspaceId: string, question: string): Promise<string[]>;
}

export class LearnedAnswerService {
  constructor(
    private readonly db: DataSource,
    private readonly settings: SettingsService,
    private readonly policy: AnswerPolicyService,
    private readonly intents?: IntentLearner,
  ) {}

  async learnFromCorrection(workspaceId: string, correction: CorrectionToLearn): Promise<LearnedResult> {
    let variant: { id: string; text: string; itemId: string; scope: { plans: string[]; areas: string[] } } | undefined;
    const asked = askedIn(correction);
    let succession: { itemId: string; successorId: string } | undefined;
    // What the system would have answered this question from: if that is a stale learned answer, this correction replaces it.
    const predicted = await (this.intents?.choice(workspaceId, correction.question) ?? Promise.resolve([])).catch(() => [] as string[]);
    const result = await this.db.transaction(async (tx): Promise<LearnedResult> => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1 || '/learn/' || $2))`, [workspaceId, correction.idempotencyKey]);
      const replay = await findByIdempotencyKey(tx, workspaceId, correction.idempotencyKey);
      if (replay?.itemId) {
        const item = await tx.getRepository(KnowledgeItemEntity).findOneByOrFail({ id: replay.itemId });
        return { item, outcome: replay.kind === 'learned_answer_created' ? 'created' : 'variant_added', learningEventId: replay.id };
      }
      const settings = await this.settings.get(workspaceId, tx);
      if (settings.learningFrozenAt !== null) return NOT_LEARNED;
      const scope = settings.contextLearning ? scopeOf(correction) : EVERYWHERE;
      const references = [...new Set(correction.references)].sort();
      const referenced = references.length ? await tx.getRepository(KnowledgeItemEntity).findBy({ id: In(references), workspaceId }) : [];
      const missing = references.filter((id) => !referenced.some((item) => item.id === id));
      if (missing.length > 0) throw notFound('Knowledge item', missing.join(', '));
      // The same answer in another scope is another item: each serves its own context, and reverting one leaves the others.
      const hash = createHash('sha256').update(normalise(correction.correctedText)).update('|').update(references.join(','));
      if (scope.plans.length + scope.areas.length > 0) hash.update(`|plans:${scope.plans.join(',')}|areas:${scope.areas.join(',')}`);
      const answerHash = hash.digest('hex');
      // Serialise learners of the same answer so two corrections at once make one item with two variants.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1 || '/answer/' || $2))`, [workspaceId, answerHash]);
      const existing = await tx
        .getRepository(KnowledgeItemEntity)
        .findOne({ where: { workspaceId, answerHash, kind: 'learned_answer', status: In(['published', 'pending_review']) } });
      if (existing) {
        const variantId = await this.addVariant(tx, existing, correction, asked);
        variant = { id: variantId, text: correction.question.trim(), itemId: existing.id, scope: { plans: existing.scopePlans, areas: existing.scopeAreas } };
        const superseded = await this.supersedeStale(tx, workspaceId, existing, predicted, references);
        if (superseded && existing.status === 'published') succession = { itemId: superseded, successorId: existing.id };
        const learningEventId = await recordLearningEvent(tx, {
          workspaceId,
          kind: 'question_variant_added',
          itemId: existing.id,
          topic: existing.topic,
          summary: `Learned that "${correction.question.slice(0, 120)}" is answered by "${existing.title.slice(0, 80)}"`,
          signal: 'agent_correction',
          actor: correction.agent,
          after: { variantId, question: correction.question, conversationId: correction.conversationId, superseded: superseded ? [superseded] : [], scope },
          idempotencyKey: correction.idempotencyKey,
        });
        await recordEvents(tx, [{ workspaceId, type: 'question_variant_added', payload: { knowledgeItemId: existing.id, topic: existing.topic, conversationId: correction.conversationId } }]);
        await this.flagContradicted(tx, workspaceId, existing.id, correction, references);
        return { item: existing, outcome: 'variant_added', learningEventId };
      }
      const { learningMode } = settings;
      const first = referenced[0];
      const item = await tx.getRepository(KnowledgeItemEntity).save(
        tx.getRepository(KnowledgeItemEntity).create({
          workspaceId,
          kind: 'learned_answer',
          status: learningMode === 'auto_publish' ? 'published' : 'pending_review',
          title: correction.question.trim().slice(0, 300),
          body: correction.correctedText,
          // The agent's sources say what it is about; without any, the topic the question was asked under does.
          topic: first?.topic ?? correction.askedTopic?.trim() ?? '',
          tags: [...new Set(referenced.flatMap((r) => r.tags))],
          locale: correction.locale ?? DEFAULT_LOCALE,
          audiencePlans: sharedAudience(referenced),
          audienceSegments: [],
          scopePlans: scope.plans,
          scopeAreas: scope.areas,
          externalKey: null,
          version: 1,
          stale: false,
          provenance: { conversationId: correction.conversationId, messageId: correction.messageId, agent: correction.agent, at: new Date().toISOString(), references },
          answerHash,
        }),
      );
      await recordVersion(tx, item, correction.agent);
      await writePassages(tx, item);
      const variantId = await this.addVariant(tx, item, correction, asked);
      if (item.status === 'published') variant = { id: variantId, text: correction.question.trim(), itemId: item.id, scope };
      const superseded = await this.supersedeStale(tx, workspaceId, item, predicted, references);
      if (superseded && item.status === 'published') succession = { itemId: superseded, successorId: item.id };
      if (item.status === 'pending_review') {
        await tx.query(`INSERT INTO knowledge.review_requests (workspace_id, item_id, reason) VALUES ($1, $2, 'learned_answer')`, [workspaceId, item.id]);
      }
      const learningEventId = await recordLearningEvent(tx, {
        workspaceId,
        kind: 'learned_answer_created',
        itemId: item.id,
        topic: item.topic,
        summary: `Learned a new answer from ${correction.agent}'s correction${item.status === 'pending_review' ? ' (waiting for review)' : ''}`,
        signal: 'agent_correction',
        actor: correction.agent,
        after: { status: item.status, question: correction.question, conversationId: correction.conversationId, references, superseded: superseded ? [superseded] : [], scope },
        idempotencyKey: correction.idempotencyKey,
      });
      await recordEvents(tx, [
        { workspaceId, type: 'learned_answer_created', payload: { knowledgeItemId: item.id, topic: item.topic, title: item.title, conversationId: correction.conversationId, status: item.status } },
      ]);
      await this.flagContradicted(tx, workspaceId, item.id, correction, references);
      return { item, outcome: 'created', learningEventId };
    });
    if (variant) this.intents?.learnedVariant(workspaceId, variant.id, variant.text, variant.itemId, variant.scope, asked);
    if (succession) this.intents?.superseded(workspaceId, succession.itemId, succession.successorId);
    return result;
  }

  async approve(workspaceId: string, itemId: string, admin: string, edits: { title?: string; body?: string }): Promise<KnowledgeItemEntity> {
    const approved = await this.db.transaction(async (tx) => {
      const item = await this.pendingItem(tx, workspaceId, itemId);
      const edited = (edits.title !== undefined && edits.title.trim() !== item.title) || (edits.body !== undefined && edits.body !== item.body);
      if (edits.title !== undefined) item.title = edits.title.trim();
      if (edits.body !== undefined) item.body = edits.body;
      item.status = 'published';
      if (edited) item.version += 1;
      await tx.getRepository(KnowledgeItemEntity).save(item);
      // Answers it supersedes hand their questions over now that it is published (intent models see the change).
      await tx.query(`UPDATE knowledge.knowledge_items SET updated_at = now() WHERE workspace_id = $1 AND superseded_by = $2`, [workspaceId, item.id]);
      if (edited) {
        await recordVersion(tx, item, admin);
        await writePassages(tx, item);
      }
      await this.resolveReview(tx, item.id, edited ? 'approved_with_edits' : 'approved', admin);
      await recordLearningEvent(tx, {
        workspaceId,
        kind: 'learned_answer_approved',
        itemId: item.id,
        topic: item.topic,
        summary: `Learned answer "${item.title.slice(0, 80)}" approved${edited ? ' with edits' : ''}`,
        signal: 'review',
        actor: admin,
        approvedBy: admin,
        before: { status: 'pending_review' },
        after: { status: 'published', version: item.version },
      });
      await recordEvents(tx, [{ workspaceId, type: 'learned_answer_published', payload: { knowledgeItemId: item.id, topic: item.topic, title: item.title } }]);
      return item;
    });
    // Its question and the answers it supersedes reach the model through a catch-up: the next question waits for one.
    this.intents?.changed(workspaceId);
    return approved;
  }

  async reject(workspaceId: string, itemId: string, admin: string): Promise<KnowledgeItemEntity> {
    return this.db.transaction(async (tx) => {
      const item = await this.pendingItem(tx, workspaceId, itemId);
      item.status = 'archived';
      await tx.getRepository(KnowledgeItemEntity).save(item);
      await this.unsupersede(tx, workspaceId, item.id);
      await this.resolveReview(tx, item.id, 'rejected', admin);
      await recordLearningEvent(tx, {
        workspaceId,
        kind: 'learned_answer_rejected',
        itemId: item.id,
        topic: item.topic,
        summary: `Learned answer "${item.title.slice(0, 80)}" rejected`,
        signal: 'review',
        actor: admin,
        before: { status: 'pending_review' },
        after: { status: 'archived' },
      });
      await recordEvents(tx, [{ workspaceId, type: 'learned_answer_rejected', payload: { knowledgeItemId: item.id, topic: item.topic } }]);
      return item;
    });
  }

  /** Undoes what one learning event changed; the revert is itself recorded on the event. */
  async revert(workspaceId: string, eventId: string, admin: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const event = await getLearningEvent(tx, workspaceId, eventId, true);
      if (!event) throw notFound('Learning event', eventId);
      if (event.revertedAt) throw conflict(`Learning event ${eventId} was already reverted`);
      switch (event.kind) {
        case 'learned_answer_created':
          await tx.query(`UPDATE knowledge.knowledge_items SET status = 'archived', updated_at = now() WHERE id = $1 AND workspace_id = $2`, [event.itemId, workspaceId]);
          await this.unsupersede(tx, workspaceId, event.itemId ?? '');
          await tx.query(`UPDATE knowledge.review_requests SET resolved_at = now(), resolution = 'reverted', resolved_by = $2 WHERE item_id = $1 AND resolved_at IS NULL`, [event.itemId, admin]);
          break;
        case 'question_variant_added':
          await tx.query(`DELETE FROM knowledge.question_variants WHERE id = $1 AND workspace_id = $2`, [event.after?.variantId, workspaceId]);
          await this.unsupersede(tx, workspaceId, event.itemId ?? '', (event.after?.superseded as string[] | undefined) ?? []);
          break;
        case 'learned_answer_approved':
          await tx.query(`UPDATE knowledge.knowledge_items SET status = 'pending_review', updated_at = now() WHERE id = $1 AND workspace_id = $2`, [event.itemId, workspaceId]);
          await tx.query(`INSERT INTO knowledge.review_requests (workspace_id, item_id, reason) VALUES ($1, $2, 'learned_answer')`, [workspaceId, event.itemId]);
          break;
        case 'learned_answer_rejected':
          await tx.query(`UPDATE knowledge.knowledge_items SET status = 'pending_review', updated_at = now() WHERE id = $1 AND workspace_id = $2`, [event.itemId, workspaceId]);
          await tx.query(`INSERT INTO knowledge.review_requests (workspace_id, item_id, reason) VALUES ($1, $2, 'learned_answer')`, [workspaceId, event.itemId]);
          break;
        case 'threshold_moved':
          await this.policy.setThreshold(tx, workspaceId, event.topic ?? '', Number(event.before?.threshold), event.before?.scale === 'intent' ? 'intent' : 'retrieval');
          break;
        case 'stale_flagged':
          await tx.query(`UPDATE knowledge.knowledge_items SET stale = false, stale_since = NULL, stale_reason = NULL, superseded_by = NULL, updated_at = now() WHERE id = $1 AND workspace_id = $2`, [
            event.itemId,
            workspaceId,
          ]);
          await tx.query(`UPDATE knowledge.review_requests SET resolved_at = now(), resolution = 'reverted', resolved_by = $2 WHERE item_id = $1 AND reason = 'stale' AND resolved_at IS NULL`, [
            event.itemId,
            admin,
          ]);
          break;
        default: {
          const unknownKind: never = event.kind;
          throw new Error(`no revert for ${String(unknownKind)}`);
        }
      }
      // Every replica's intent model rebuilds (a deleted question or an answer sent back to review leaves no row
      // its catch-up could read); a threshold is not the model's.
      if (event.kind !== 'threshold_moved') await tx.query(MOVE_EPOCH_SQL, [workspaceId]);
      await markReverted(tx, event.id, admin);
      await recordEvents(tx, [{ workspaceId, type: 'learning_reverted', payload: { learningEventId: event.id, kind: event.kind, knowledgeItemId: event.itemId ?? '', topic: event.topic ?? '' } }]);
    });
    this.intents?.forget(workspaceId);
  }

  async reviewQueue(workspaceId: string, limit: number) {
    const rows: Array<{ id: string; itemId: string; reason: string; createdAt: Date; productChangeId: string | null }> = await this.db.query(
      `SELECT id, item_id AS "itemId", reason, created_at AS "createdAt", product_change_id AS "productChangeId"
         FROM knowledge.review_requests WHERE workspace_id = $1 AND resolved_at IS NULL ORDER BY created_at LIMIT $2`,
      [workspaceId, limit],
    );
    return rows;
  }

  /**
   * An agent who corrects an answer drawn from a learned answer, writing something else from the same sources,
   * says that learned answer no longer holds (the product changed under it, or it was wrong to begin with).
   * It is flagged stale and queued for review rather than archived: stale, it is never served confidently
   * again, and an admin decides whether it goes. A learned answer on other sources is left alone: the
   * correction may just be about a different question that happened to reach it.
   */
  private async flagContradicted(tx: EntityManager, workspaceId: string, learnedItemId: string, correction: CorrectionToLearn, references: string[]): Promise<void> {
    const cited = [...new Set(correction.correctedItemIds ?? [])].filter((id) => id !== learnedItemId);
    if (cited.length === 0 || references.length === 0) return;
    const flagged = rowsOf<{ id: string; topic: string; title: string }>(await tx.query(
      `UPDATE knowledge.knowledge_items
          SET stale = true, stale_since = now(), stale_reason = $4, updated_at = now()
        WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND kind = 'learned_answer' AND status = 'published' AND NOT stale
          AND coalesce(provenance->'references', '[]'::jsonb) ?| $3::text[]
        RETURNING id, topic, title`,
      [workspaceId, cited, references, `contradicted by ${correction.agent}'s correction`],
    ));
    await recordStaleFlags(tx, workspaceId, flagged, {
      cause: 'an agent corrected an answer drawn from it',
      signal: 'agent_correction',
      actor: correction.agent,
      after: { correctedBy: learnedItemId, conversationId: correction.conversationId },
    });
  }

  /**
   * When the answer the intent model would have chosen for the corrected question is a learned answer already
   * flagged stale (by a product change, or by an earlier agent's correction), and the agent answered from the
   * same sources, the new answer is its replacement: the stale one is superseded, and the questions it was
   * taught teach the new one. The stale answer stays queued for review; a revert of this correction undoes it.
   * Returns the superseded item's id.
   */
  private async supersedeStale(tx: EntityManager, workspaceId: string, successor: KnowledgeItemEntity, predicted: string[], references: string[]): Promise<string | null> {
    if (predicted.length === 0 || references.length === 0) return null;
    const published = rowsOf<{ id: string }>(
      await tx.query(`SELECT id FROM knowledge.knowledge_items WHERE workspace_id = $1 AND id = ANY($2::uuid[]) AND status = 'published'`, [workspaceId, predicted]),
    );
    const choice = predicted.find((id) => published.some((row) => row.id === id));
    if (!choice || choice === successor.id) return null;
    const [superseded] = rowsOf<{ id: string }>(
      await tx.query(
        `UPDATE knowledge.knowledge_items SET superseded_by = $3, updated_at = now()
          WHERE workspace_id = $1 AND id = $2 AND kind = 'learned_answer' AND stale AND superseded_by IS NULL
            AND coalesce(provenance->'references', '[]'::jsonb) ?| $4::text[]
          RETURNING id`,
        [workspaceId, choice, successor.id, references],
      ),
    );
    if (!superseded) return null;
    // What the stale answer had itself replaced passes on too.
    await tx.query(`UPDATE knowledge.knowledge_items SET superseded_by = $3, updated_at = now() WHERE workspace_id = $1 AND superseded_by = $2`, [workspaceId, superseded.id, successor.id]);
    return superseded.id;
  }

  /** Takes back successions to `successorId` (all of them, or those of `itemIds`). */
  private async unsupersede(tx: EntityManager, workspaceId: string, successorId: string, itemIds?: string[]): Promise<void> {
    if (!successorId || (itemIds && itemIds.length === 0)) return;
    await tx.query(
      `UPDATE knowledge.knowledge_items SET superseded_by = NULL, updated_at = now()
        WHERE workspace_id = $1 AND superseded_by = $2 AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))`,
      [workspaceId, successorId, itemIds ?? null],
    );
  }

  private async addVariant(tx: EntityManager, item: KnowledgeItemEntity, correction: CorrectionToLearn, asked: AskedIn | undefined): Promise<string> {
    const [row] = await tx.query(
      `INSERT INTO knowledge.question_variants (workspace_id, item_id, text, source_conversation_id, asked_plan, asked_areas) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [item.workspaceId, item.id, correction.question.trim(), correction.conversationId, asked?.plan ?? null, asked ? [...asked.areas] : null],
    );
    return row.id as string;
  }

  private async pendingItem(tx: EntityManager, workspaceId: string, itemId: string): Promise<KnowledgeItemEntity> {
    const item = await tx.getRepository(KnowledgeItemEntity).findOne({ where: { id: itemId, workspaceId }, lock: { mode: 'pessimistic_write' } });
    if (!item) throw notFound('Knowledge item', itemId);
    if (item.status !== 'pending_review') throw conflict(`Knowledge item ${itemId} is not waiting for review (it is ${item.status})`);
    return item;
  }

  private async resolveReview(tx: EntityManager, itemId: string, resolution: string, admin: string): Promise<void> {
    await tx.query(`UPDATE knowledge.review_requests SET resolved_at = now(), resolution = $2, resolved_by = $3 WHERE item_id = $1 AND resolved_at IS NULL`, [
      itemId,
      resolution,
      admin,
    ]);
  }
}

/** Where the corrected question was asked, if the correction says (its areas normalised as scopes are). */
function askedIn(correction: CorrectionToLearn): AskedIn | undefined {
  if (!correction.askedAreas) return undefined;
  const areas = [...new Set(correction.askedAreas.map(normalizeProductArea).filter((area) => area.length > 0))];
  return { plan: correction.askedPlan?.trim() || null, areas };
}

/** Where a correction applies: every plan and page. */
const EVERYWHERE: Readonly<{ plans: string[]; areas: string[] }> = Object.freeze({ plans: [], areas: [] });

/** A correction's scope, normalised (areas as product-areas.ts writes them), sorted so the same scope hashes alike. */
function scopeOf(correction: CorrectionToLearn): { plans: string[]; areas: string[] } {
  const plans = [...new Set((correction.scopePlans ?? []).map((plan) => plan.trim()).filter((plan) => plan.length > 0))].sort();
  const areas = [...new Set((correction.scopeAreas ?? []).map(normalizeProductArea).filter((area) => area.length > 0))].sort();
  return { plans, areas };
}

/** A learned answer is for the plans all its references are for; any reference for everyone makes it for everyone. */
function sharedAudience(referenced: KnowledgeItemEntity[]): string[] {
  if (referenced.length === 0 || referenced.some((r) => r.audiencePlans.length === 0)) return [];
  return referenced.map((r) => r.audiencePlans).reduce((a, b) => a.filter((plan) => b.includes(plan)));
}
