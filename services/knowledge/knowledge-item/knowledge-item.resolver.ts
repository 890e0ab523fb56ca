/** Knowledge item queries and article authoring. */
import { Arg, Authorized, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import { notFound } from '../../shared/errors';
import { assertUuid } from '../../shared/ids';
import type { KnowledgeContext } from '../context';
import type { KnowledgeItemEntity } from './knowledge-item.entity';
import { KnowledgeItemService } from './knowledge-item.service';
import {
  CreateArticleInput,
  KnowledgeItem,
  KnowledgeItemKind,
  KnowledgeItemStatus,
  RetrievePassagesInput,
  RetrievedPassage,
} from './knowledge-item.types';

export const toKnowledgeItem = (entity: KnowledgeItemEntity): KnowledgeItem => ({
  id: entity.id,
  kind: entity.kind as KnowledgeItemKind,
  status: entity.status as KnowledgeItemStatus,
  title: entity.title,
  body: entity.body,
  topic: entity.topic,
  tags: entity.tags,
  version: entity.version,
  createdAt: entity.createdAt,
  updatedAt: entity.updatedAt,
});

@Resolver(() => KnowledgeItem)
export class KnowledgeItemResolver {
  constructor(private readonly knowledge: KnowledgeItemService) {}

  @Authorized('agent', 'analyst')
  @Query(() => KnowledgeItem)
  async knowledgeItem(@Arg('id', () => ID) id: string, @Ctx() ctx: KnowledgeContext): Promise<KnowledgeItem> {
    const item = await ctx.items.load(assertUuid(id, 'id'));
    if (!item) throw notFound('Knowledge item', id);
    return toKnowledgeItem(item);
  }

  @Authorized('admin')
  @Mutation(() => KnowledgeItem, { description: 'Publish a new article; its passages become retrievable at once' })
  async createArticle(@Arg('input') input: CreateArticleInput, @Ctx() ctx: KnowledgeContext): Promise<KnowledgeItem> {
    return toKnowledgeItem(await this.knowledge.createArticle(ctx.auth.workspaceId, input));
  }

  @Authorized('system')
  @Directive('@inaccessible')
  @Query(() => [RetrievedPassage], { description: 'Internal: passages that may answer a question' })
  async retrievePassages(@Arg('input') input: RetrievePassagesInput, @Ctx() ctx: KnowledgeContext): Promise<RetrievedPassage[]> {
    return this.knowledge.retrieve(ctx.auth.workspaceId, input.text, input.limit ?? 5);
  }
}

export const knowledgeItemReference = {
  async __resolveReference(reference: { id: string }, ctx: KnowledgeContext): Promise<KnowledgeItem | null> {
    const item = await ctx.items.load(reference.id);
    return item && toKnowledgeItem(item);
  },
};
