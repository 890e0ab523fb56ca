/** Recording product changes, which flag the knowledge they touch as stale. */
import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { badInput } from '../../shared/errors';
import type { KnowledgeContext } from '../context';
import { toKnowledgeItem } from '../knowledge-item/knowledge-item.resolver';
import { ProductChangeService } from './product-change.service';
import { ProductChange, ProductChangeKind, RecordProductChangeInput } from './product-change.types';

@Resolver(() => ProductChange)
export class ProductChangeResolver {
  constructor(private readonly productChanges: ProductChangeService) {}

  @Authorized('admin')
  @Mutation(() => ProductChange, { description: 'Record a product change; knowledge it touches is flagged stale and queued for review' })
  async recordProductChange(@Arg('input') input: RecordProductChangeInput, @Ctx() ctx: KnowledgeContext): Promise<ProductChange> {
    const knowledgeItemIds = input.knowledgeItemIds ?? [];
    if (input.productAreas.length === 0 && knowledgeItemIds.length === 0) throw badInput('Name at least one product area or knowledge item the change touches');
    const recorded = await this.productChanges.record(ctx.auth.workspaceId, { ...input, knowledgeItemIds }, ctx.auth.subject);
    const items = await ctx.items.loadMany(recorded.flaggedItemIds);
    return {
      ...recorded,
      kind: recorded.kind as ProductChangeKind,
      flaggedItems: items.flatMap((item) => (item && !(item instanceof Error) ? [toKnowledgeItem(item)] : [])),
    };
  }
}
