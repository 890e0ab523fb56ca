/** The learning record, the review queue, learning settings and thresholds; and the internal correction intake. */
import { Arg, Authorized, Ctx, Directive, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput } from '../../shared/errors';
import { assertUuid } from '../../shared/ids';
import type { KnowledgeContext } from '../context';
import { toKnowledgeItem } from '../knowledge-item/knowledge-item.resolver';
import { KnowledgeItemRef } from '../knowledge-item/knowledge-item.types';
import { KnowledgeItem } from '../knowledge-item/knowledge-item.types';
import type { AnswerPolicyService } from './answer-policy.service';
import { LearnedAnswerService } from './learned-answer.service';
import { LearningEventRow, getLearningEvent, listLearningEvents } from './learning-events';
import {
  ApproveLearnedAnswerInput,
  LearnFromCorrectionInput,
  LearnedAnswerResult,
  LearningEvent,
  LearningEventKind,
  LearningEventPage,
  LearningEventsFilter,
  LearningMode,
  LearningSettings,
  ReviewReason,
  ReviewRequest,
  TopicPolicy,
  UpdateLearningSettingsInput,
} from './learning.types';
import type { LearningSettings as Settings, SettingsService } from './settings.service';
import type { DataSource } from 'typeorm';

const toLearningEvent = (row: LearningEventRow): LearningEvent => ({
  id: row.id,
  kind: row.kind as LearningEventKind,
  summary: row.summary,
  signal: row.signal,
  actor: row.actor,
  approvedBy: row.approvedBy,
  topic: row.topic,
  knowledgeItem: null,
  before: row.before,
  after: row.after,
  revertedAt: row.revertedAt,
  revertedBy: row.revertedBy,
  createdAt: row.createdAt,
  seq: row.seq,
  itemId: row.itemId,
});

const toLearningSettings = (settings: Settings): LearningSettings => ({
  learningMode: settings.learningMode as LearningMode,
  targetPrecision: settings.targetPrecision,
  sensitiveThreshold: settings.sensitiveThreshold,
  learningFrozen: settings.learningFrozenAt !== null,
  learningFrozenAt: settings.learningFrozenAt,
  contextLearning: settings.contextLearning,
});

const MAX_BIGINT = 2n ** 63n - 1n;

@Resolver(() => LearningEvent)
export class LearningResolver {
  constructor(
    private readonly db: DataSource,
    private readonly learned: LearnedAnswerService,
    private readonly settings: SettingsService,
    private readonly policy: AnswerPolicyService,
  ) {}

  @Authorized('analyst', 'agent')
  @Query(() => LearningEventPage, { description: 'What the learning loop changed, newest first' })
  async learningEvents(
    @Ctx() ctx: KnowledgeContext,
    @Arg('filter', () => LearningEventsFilter, { nullable: true }) filter?: LearningEventsFilter,
  ): Promise<LearningEventPage> {
    const first = filter?.first ?? 50;
    // A sequence number, so within Postgres's bigint: a longer one would be a database error, not the client's.
    if (filter?.after !== undefined && !(/^\d{1,19}$/.test(filter.after) && BigInt(filter.after) <= MAX_BIGINT)) throw badInput('after must be a cursor returned by this API');
    const rows = await listLearningEvents(this.db.manager, ctx.auth.workspaceId, { kind: filter?.kind, itemId: filter?.knowledgeItemId, beforeSeq: filter?.after }, first + 1);
    const events = rows.slice(0, first).map(toLearningEvent);
    return { events, nextCursor: rows.length > first ? (events.at(-1)?.seq ?? null) : null };
  }

  @FieldResolver(() => KnowledgeItem, { nullable: true })
  async knowledgeItem(@Root() event: LearningEvent, @Ctx() ctx: KnowledgeContext): Promise<KnowledgeItem | null> {
    if (!event.itemId) return null;
    const item = await ctx.items.load(event.itemId);
    return item && toKnowledgeItem(item);
  }

  @Authorized('admin')
  @Mutation(() => LearningEvent, { description: 'Undo one change of the learning loop' })
  async revertLearningEvent(@Arg('input') input: KnowledgeItemRef, @Ctx() ctx: KnowledgeContext): Promise<LearningEvent> {
    const id = assertUuid(input.id, 'id');
    await this.learned.revert(ctx.auth.workspaceId, id, ctx.auth.subject);
    return toLearningEvent((await getLearningEvent(this.db.manager, ctx.auth.workspaceId, id))!);
  }

  @Authorized('admin')
  @Query(() => [ReviewRequest], { description: 'Learned answers waiting for approval and items flagged stale, oldest first' })
  async reviewQueue(@Ctx() ctx: KnowledgeContext): Promise<ReviewRequest[]> {
    const requests = await this.learned.reviewQueue(ctx.auth.workspaceId, 200);
    const items = await ctx.items.loadMany(requests.map((r) => r.itemId));
    return requests.flatMap((request, i) => {
      const item = items[i];
      if (!item || item instanceof Error) return [];
      return [{ id: request.id, reason: request.reason as ReviewReason, knowledgeItem: toKnowledgeItem(item), productChangeId: request.productChangeId, createdAt: request.createdAt }];
    });
  }

  @Authorized('admin')
  @Mutation(() => KnowledgeItem, { description: 'Publish a learned answer waiting for review, optionally edited' })
  async approveLearnedAnswer(@Arg('input') input: ApproveLearnedAnswerInput, @Ctx() ctx: KnowledgeContext): Promise<KnowledgeItem> {
    return toKnowledgeItem(await this.learned.approve(ctx.auth.workspaceId, assertUuid(input.id, 'id'), ctx.auth.subject, { title: input.title, body: input.body }));
  }

  @Authorized('admin')
  @Mutation(() => KnowledgeItem, { description: 'Reject a learned answer waiting for review; it is never served' })
  async rejectLearnedAnswer(@Arg('input') input: KnowledgeItemRef, @Ctx() ctx: KnowledgeContext): Promise<KnowledgeItem> {
    return toKnowledgeItem(await this.learned.reject(ctx.auth.workspaceId, assertUuid(input.id, 'id'), ctx.auth.subject));
  }

  @Authorized('admin')
  @Query(() => LearningSettings)
  async learningSettings(@Ctx() ctx: KnowledgeContext): Promise<LearningSettings> {
    return toLearningSettings(await this.settings.get(ctx.auth.workspaceId));
  }

  @Authorized('admin')
  @Mutation(() => LearningSettings, { description: 'Change how the workspace learns: review or auto-publish, target precision, freeze or resume learning, context learning' })
  async updateLearningSettings(@Arg('input') input: UpdateLearningSettingsInput, @Ctx() ctx: KnowledgeContext): Promise<LearningSettings> {
    return toLearningSettings(
      await this.settings.update(ctx.auth.workspaceId, {
        learningMode: input.learningMode,
        targetPrecision: input.targetPrecision,
        sensitiveThreshold: input.sensitiveThreshold,
        learningFrozen: input.learningFrozen,
        contextLearning: input.contextLearning,
      }),
    );
  }

  @Authorized('analyst', 'agent')
  @Query(() => [TopicPolicy], { description: 'Learned answer thresholds per topic and confidence scale' })
  async answerPolicies(@Ctx() ctx: KnowledgeContext): Promise<TopicPolicy[]> {
    return this.policy.listPolicies(ctx.auth.workspaceId);
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Mutation(() => LearnedAnswerResult, { description: 'Internal: learn from an agent correction (idempotent on idempotencyKey)' })
  async learnFromCorrection(@Arg('input') input: LearnFromCorrectionInput, @Ctx() ctx: KnowledgeContext): Promise<LearnedAnswerResult> {
    const result = await this.learned.learnFromCorrection(ctx.auth.workspaceId, input);
    return { knowledgeItem: result.item && toKnowledgeItem(result.item), outcome: result.outcome, learningEventId: result.learningEventId };
  }
}
