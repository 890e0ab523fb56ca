/** Marking knowledge sensitive: admins only; reads for everyone who works with answers. */
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { assertUuid } from '../../shared/ids';
import type { KnowledgeContext } from '../context';
import { toKnowledgeItem } from '../knowledge-item/knowledge-item.resolver';
import { KnowledgeItem } from '../knowledge-item/knowledge-item.types';
import { SensitivityService } from './sensitivity.service';
import { MarkKnowledgeItemSensitiveInput, MarkTopicSensitiveInput } from './sensitivity.types';

@Resolver()
export class SensitivityResolver {
  constructor(private readonly sensitivity: SensitivityService) {}

  @Authorized('admin')
  @Mutation(() => KnowledgeItem, { description: "Mark an item sensitive (or not): the AI answers from it alone only above the workspace's sensitive threshold" })
  async markKnowledgeItemSensitive(@Arg('input') input: MarkKnowledgeItemSensitiveInput, @Ctx() ctx: KnowledgeContext): Promise<KnowledgeItem> {
    return toKnowledgeItem(await this.sensitivity.markItem(ctx.auth.workspaceId, assertUuid(input.id, 'id'), input.sensitive, ctx.auth.subject));
  }

  @Authorized('admin')
  @Mutation(() => [String], { description: "Mark a topic sensitive (or not); returns the workspace's sensitive topics" })
  async markTopicSensitive(@Arg('input') input: MarkTopicSensitiveInput, @Ctx() ctx: KnowledgeContext): Promise<string[]> {
    return this.sensitivity.markTopic(ctx.auth.workspaceId, input.topic, input.sensitive, ctx.auth.subject);
  }

  @Authorized('agent', 'analyst')
  @Query(() => [String], { description: 'Topics marked sensitive' })
  async sensitiveTopics(@Ctx() ctx: KnowledgeContext): Promise<string[]> {
    return this.sensitivity.topics(ctx.auth.workspaceId);
  }
}
