/** Open bugs for agents. Thin: role checks, id checks, mapping. */
import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { connectionOf } from '../../shared/connection';
import { loadOrNotFound } from '../../shared/loaders';
import type { AccountContextContext } from '../context';
import type { AccountEntity } from '../customer/account.entity';
import { toAccount } from '../customer/customer.resolver';
import { Account } from '../customer/customer.types';
import type { BugEntity } from './bug.entity';
import { BugService, encodeBugCursor } from './bug.service';
import { Bug, BugConnection, BugStatus, BugsPage, OpenBugsFilter } from './bug.types';
import { normalizeProductArea } from '../../shared/product-areas';

export const toBug = (entity: BugEntity): Bug => ({
  id: entity.id,
  source: entity.source,
  externalId: entity.externalId,
  title: entity.title,
  status: entity.status as BugStatus,
  productAreas: entity.productAreas,
  accountExternalIds: entity.accountExternalIds,
  url: entity.url,
  openedAt: entity.openedAt,
  closedAt: entity.closedAt,
});

@Resolver(() => Bug)
export class BugResolver {
  constructor(private readonly bugs: BugService) {}

  @Authorized('agent', 'system')
  @Query(() => BugConnection, { description: 'Open bugs from the bug tracker, newest first' })
  async openBugs(
    @Ctx() ctx: AccountContextContext,
    @Arg('filter', () => OpenBugsFilter, { nullable: true }) filter?: OpenBugsFilter,
    @Arg('page', () => BugsPage, { nullable: true }) page?: BugsPage,
  ): Promise<BugConnection> {
    let accountExternalId: string | undefined;
    if (filter?.accountId) {
      accountExternalId = (await loadOrNotFound(ctx.accounts, filter.accountId, 'Account', 'filter.accountId')).externalId;
    }
    const productArea = filter?.productArea ? normalizeProductArea(filter.productArea) : undefined;
    const { rows, hasNextPage } = await this.bugs.listOpen(ctx.auth.workspaceId, { accountExternalId, productArea }, page?.first ?? 20, page?.after ?? undefined);
    const edges = rows.map((keyed) => ({ cursor: encodeBugCursor(keyed), node: toBug(keyed.row) }));
    return connectionOf(edges, hasNextPage);
  }

  @FieldResolver(() => [Account], { description: 'The linked accounts that Loopdesk knows' })
  async accounts(@Root() bug: Bug, @Ctx() ctx: AccountContextContext): Promise<Account[]> {
    const found = await ctx.accountsByExternalId.loadMany(bug.accountExternalIds);
    return found.filter((account): account is AccountEntity => account !== null && !(account instanceof Error)).map(toAccount);
  }
}
