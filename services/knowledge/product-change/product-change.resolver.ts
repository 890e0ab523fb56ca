/** Recording product changes, which flag the knowledge they touch as stale. */
import { Arg, Authorized, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { assertUuid } from '../../shared/ids';
import { badInput } from '../../shared/errors';
import type { KnowledgeContext } from '../context';
import { toKnowledgeItem } from '../knowledge-item/knowledge-item.resolver';
import { ProductChangeService } from './product-change.service';
import { CloseProductChangeReviewInput, ProductChange, ProductChangeKind, ProductChangeReviewStatus, RecordProductChangeInput } from './product-change.types';

@Resolver(() => ProductChange)
export class ProductChangeResolver {
  constructor(private readonly changes: ProductChangeService) {}

  @Authorized('admin')
  @Mutation(() => ProductChange, { description: 'Record a product change; knowledge it touches is flagged stale and queued for review' })
  async recordProductChange(@Arg('input') input: RecordProductChangeInput, @Ctx() ctx: KnowledgeContext): Promise<ProductChange> {
    const knowledgeItemIds = input.knowledgeItemIds ?? [];
    if (input.productAreas.length === 0 && knowledgeItemIds.length === 0) throw badInput('Name at least one product area or knowledge item the change touches');
    const recorded = await this.changes.record(ctx.auth.workspaceId, { ...input, knowledgeItemIds }, ctx.auth.subject);
    const items = await ctx.items.loadMany(recorded.flaggedItemIds);
    const [row] = (await this.changes.list(ctx.auth.workspaceId, 50)).filter((r) => r.id === recorded.id);
    return {
      ...recorded,
      kind: recorded.kind as ProductChangeKind,
      flaggedItems: items.flatMap((item) => (item && !(item instanceof Error) ? [toKnowledgeItem(item)] : [])),
      reviewDeadline: row?.reviewDeadline ?? null,
      reviewClosedAt: row?.reviewClosedAt ?? null,
      reviewOutcome: row?.reviewOutcome ?? null,
    };
  }

  @Authorized('analyst', 'agent')
  @Query(() => [ProductChange], { description: 'Recorded product changes, newest first, with the state of their reviews' })
  async productChanges(@Ctx() ctx: KnowledgeContext): Promise<ProductChange[]> {
    const rows = await this.changes.list(ctx.auth.workspaceId, 100);
    const items = await ctx.items.loadMany([...new Set(rows.flatMap((r) => r.flaggedItemIds))]);
    const byId = new Map(items.flatMap((item) => (item && !(item instanceof Error) ? [[item.id, toKnowledgeItem(item)] as const] : [])));
    return rows.map((row) => ({ ...row, kind: row.kind as ProductChangeKind, flaggedItems: row.flaggedItemIds.flatMap((id) => byId.get(id) ?? []) }));
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Query(() => ProductChangeReviewStatus)
  async productChangeReviewStatus(@Arg('productChangeId', () => ID) productChangeId: string, @Ctx() ctx: KnowledgeContext): Promise<ProductChangeReviewStatus> {
    return { pendingItemIds: await this.changes.pendingReviews(ctx.auth.workspaceId, assertUuid(productChangeId, 'productChangeId')) };
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: 'Internal: true when this call closed the review' })
  async closeProductChangeReview(@Arg('input') input: CloseProductChangeReviewInput, @Ctx() ctx: KnowledgeContext): Promise<boolean> {
    return this.changes.closeReview(ctx.auth.workspaceId, input.productChangeId, input.outcome, input.pendingItemIds);
  }
}
