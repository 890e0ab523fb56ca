/** Knowledge item reads and article authoring. */
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertUuid } from '../../shared/ids';
import { loadOrNotFound } from '../../shared/loaders';
import type { KnowledgeContext } from '../context';
import { NO_STATS, type OutcomeService } from '../learning/outcome.service';
import type { KnowledgeItemEntity } from './knowledge-item.entity';
import { KnowledgeItemService } from './knowledge-item.service';
import {
  CreateArticleInput,
  ImportArticlesInput,
  ImportSummary,
  KnowledgeItem,
  KnowledgeItemKind,
  KnowledgeItemRef,
  KnowledgeItemStats,
  KnowledgeItemStatus,
  KnowledgeItemVersion,
  LearnedFrom,
  UpdateArticleInput,
} from './knowledge-item.types';

function learnedFromOf(entity: KnowledgeItemEntity): LearnedFrom | null {
  const p = entity.provenance as { conversationId?: string; agent?: string; at?: string; references?: string[] };
  if (entity.kind !== 'learned_answer' || !p.conversationId) return null;
  return { conversationId: p.conversationId, agent: p.agent ?? 'unknown', at: new Date(p.at ?? entity.createdAt), references: p.references ?? [] };
}

export const toKnowledgeItem = (entity: KnowledgeItemEntity): KnowledgeItem => ({
  id: entity.id,
  kind: entity.kind as KnowledgeItemKind,
  status: entity.status as KnowledgeItemStatus,
  title: entity.title,
  body: entity.body,
  topic: entity.topic,
  tags: entity.tags,
  locale: entity.locale,
  version: entity.version,
  audiencePlans: entity.audiencePlans,
  audienceSegments: entity.audienceSegments,
  scope: { plans: entity.scopePlans ?? [], areas: entity.scopeAreas ?? [] },
  externalKey: entity.externalKey,
  stale: entity.stale,
  sensitive: entity.sensitive,
  staleReason: entity.staleReason,
  supersededBy: entity.supersededBy,
  learnedFrom: learnedFromOf(entity),
  createdAt: entity.createdAt,
  updatedAt: entity.updatedAt,
});

const actorOf = (ctx: KnowledgeContext) => ctx.auth.subject;

@Resolver(() => KnowledgeItem)
export class KnowledgeItemResolver {
  constructor(
    private readonly knowledge: KnowledgeItemService,
    private readonly outcomes: OutcomeService,
  ) {}

  @Authorized('agent', 'analyst')
  @Query(() => KnowledgeItem)
  async knowledgeItem(@Arg('id', () => ID) id: string, @Ctx() ctx: KnowledgeContext): Promise<KnowledgeItem> {
    return toKnowledgeItem(await loadOrNotFound(ctx.items, id, 'Knowledge item'));
  }

  @Authorized('agent', 'analyst')
  @FieldResolver(() => KnowledgeItemStats)
  async stats(@Root() item: KnowledgeItem, @Ctx() ctx: KnowledgeContext): Promise<KnowledgeItemStats> {
    const stats = (await this.outcomes.stats(ctx.auth.workspaceId, [item.id])).get(item.id);
    return stats ?? NO_STATS;
  }

  /** The segments an item targets name how the workspace sorts its customers: not for the customers themselves. */
  @FieldResolver(() => [String])
  audienceSegments(@Root() item: KnowledgeItem, @Ctx() ctx: KnowledgeContext): string[] {
    return ctx.auth.role === 'widget' ? [] : item.audienceSegments;
  }

  @Authorized('agent', 'analyst')
  @FieldResolver(() => [KnowledgeItemVersion], { description: 'Every version, newest first' })
  async versions(@Root() item: KnowledgeItem, @Ctx() ctx: KnowledgeContext): Promise<KnowledgeItemVersion[]> {
    return this.knowledge.versions(ctx.auth.workspaceId, item.id);
  }

  @Authorized('admin')
  @Mutation(() => KnowledgeItem, { description: 'Publish a new article; its passages become retrievable at once' })
  async createArticle(@Arg('input') input: CreateArticleInput, @Ctx() ctx: KnowledgeContext): Promise<KnowledgeItem> {
    return toKnowledgeItem(await this.knowledge.createArticle(ctx.auth.workspaceId, input, actorOf(ctx)));
  }

  @Authorized('admin')
  @Mutation(() => KnowledgeItem, { description: 'Edit an article or learned answer; a changed title or body is a new version' })
  async updateArticle(@Arg('input') input: UpdateArticleInput, @Ctx() ctx: KnowledgeContext): Promise<KnowledgeItem> {
    const { id, ...fields } = input;
    return toKnowledgeItem(await this.knowledge.updateArticle(ctx.auth.workspaceId, assertUuid(id, 'id'), fields, actorOf(ctx)));
  }

  @Authorized('admin')
  @Mutation(() => KnowledgeItem, { description: 'Stop answering from an item; it stays citable in past conversations' })
  async archiveKnowledgeItem(@Arg('input') input: KnowledgeItemRef, @Ctx() ctx: KnowledgeContext): Promise<KnowledgeItem> {
    return toKnowledgeItem(await this.knowledge.archive(ctx.auth.workspaceId, assertUuid(input.id, 'id'), actorOf(ctx)));
  }

  @Authorized('admin')
  @Mutation(() => ImportSummary, { description: 'Create or update articles by externalKey, all or nothing' })
  async importArticles(@Arg('input') input: ImportArticlesInput, @Ctx() ctx: KnowledgeContext): Promise<ImportSummary> {
    const summary = await this.knowledge.importArticles(ctx.auth.workspaceId, input.articles, actorOf(ctx));
    return { ...summary, items: summary.items.map(toKnowledgeItem) };
  }
}

export const knowledgeItemReference = {
  async __resolveReference(reference: { id: string }, ctx: KnowledgeContext): Promise<KnowledgeItem | null> {
    const item = await ctx.items.load(reference.id);
    return item && toKnowledgeItem(item);
  },
};
