/**
 * Customer history for agents: every earlier conversation of a customer, or of every customer of an account,
 * newest first with its outcome, cursor paged. Customers and accounts are account-context's; conversation adds
 * these fields to them. Agents only: a history is personal data, and analysts do not read customers.
 */
import { Args, ArgsType, Authorized, Ctx, Directive, Field, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { connectionOf } from '../../shared/connection';
import { badInput } from '../../shared/errors';
import type { ConversationContext } from '../context';
import { toConversation } from '../conversation/conversation.resolver';
import { ConversationService, encodeCursor } from '../conversation/conversation.service';
import { Account, ConversationConnection, Customer } from '../conversation/conversation.types';

const DESCRIPTION = 'Earlier conversations, newest first, each with its outcome. first: 1 to 100 (default 20); after: a cursor from pageInfo.endCursor';

/** The page arguments both histories take: plain arguments, not an input object, listed as the schema has them. */
@ArgsType()
class HistoryPageArgs {
  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true })
  first?: number | null;
}

function pageArgs({ first, after }: HistoryPageArgs): { first: number; after: string | undefined } {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > 100) throw badInput(`first must be between 1 and 100; got ${size}`);
  if (after !== undefined && after !== null && (after.length === 0 || after.length > 200)) throw badInput('after must be a cursor returned by this API');
  return { first: size, after: after ?? undefined };
}

async function connection(conversations: ConversationService, workspaceId: string, customerIds: string[], args: HistoryPageArgs): Promise<ConversationConnection> {
  const { first, after } = pageArgs(args);
  const { rows, hasNextPage } = await conversations.list(workspaceId, first, after, { customerIds });
  const edges = rows.map((keyed) => ({ cursor: encodeCursor(keyed), node: toConversation(keyed.row) }));
  return connectionOf(edges, hasNextPage);
}

@Resolver(() => Customer)
export class CustomerHistoryResolver {
  constructor(private readonly history: ConversationService) {}

  @Authorized('agent')
  @FieldResolver(() => ConversationConnection, { description: DESCRIPTION })
  async conversations(
    @Root() customer: Customer,
    @Ctx() ctx: ConversationContext,
    @Args(() => HistoryPageArgs) page: HistoryPageArgs,
  ): Promise<ConversationConnection> {
    return connection(this.history, ctx.auth.workspaceId, [customer.id], page);
  }
}

@Resolver(() => Account)
export class AccountHistoryResolver {
  constructor(private readonly history: ConversationService) {}

  @Authorized('agent')
  @Directive('@requires(fields: "customerIds")')
  @FieldResolver(() => ConversationConnection, { description: `Every customer of the account: ${DESCRIPTION}` })
  async conversations(
    @Root() account: Account,
    @Ctx() ctx: ConversationContext,
    @Args(() => HistoryPageArgs) page: HistoryPageArgs,
  ): Promise<ConversationConnection> {
    return connection(this.history, ctx.auth.workspaceId, account.customerIds ?? [], page);
  }
}

/**
 * Conversation cannot tell whether an id names a customer or account of the caller's workspace; the histories
 * are scoped to the workspace, so a foreign id simply has none (and account-context already refuses it).
 */
export const customerStubReference = {
  __resolveReference(reference: { id: string }): { id: string } {
    return { id: reference.id };
  },
};

export const accountStubReference = {
  __resolveReference(reference: { id: string; customerIds?: string[] }): { id: string; customerIds: string[] } {
    return { id: reference.id, customerIds: reference.customerIds ?? [] };
  },
};
