/** The agents' knowledge search. Thin: roles, mapping. */
import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { connectionOf } from '../../shared/connection';
import type { KnowledgeContext } from '../context';
import { toKnowledgeItem } from '../knowledge-item/knowledge-item.resolver';
import { KnowledgeSearchService } from './knowledge-search.service';
import { KnowledgeSearchConnection, KnowledgeSearchInput } from './knowledge-search.types';

const DEFAULT_PAGE = 20;

@Resolver()
export class KnowledgeSearchResolver {
  constructor(private readonly search: KnowledgeSearchService) {}

  @Authorized('agent', 'analyst')
  @Query(() => KnowledgeSearchConnection, {
    description: 'Articles and learned answers of every status: searched by words (best match first) or listed (newest change first), with filters',
  })
  async knowledgeItems(
    @Ctx() ctx: KnowledgeContext,
    @Arg('input', () => KnowledgeSearchInput, { nullable: true }) input?: KnowledgeSearchInput,
  ): Promise<KnowledgeSearchConnection> {
    const { first, after, ...filter } = input ?? {};
    const page = await this.search.search(ctx.auth.workspaceId, filter, first ?? DEFAULT_PAGE, after);
    const edges = page.hits.map((hit) => ({ cursor: hit.cursor, node: toKnowledgeItem(hit.item), score: hit.score, matchedQuestion: hit.matchedQuestion }));
    return connectionOf(edges, page.hasNextPage);
  }
}
