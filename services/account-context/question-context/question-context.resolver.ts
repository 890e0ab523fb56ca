/** questionContext: the asker's account and the bugs that may affect them, for the answerer and for agents. */
import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { assertUuid } from '../../shared/ids';
import { toBug } from '../bug/bug.resolver';
import type { AccountContextContext } from '../context';
import { toAccount, toCustomer } from '../customer/customer.resolver';
import { QuestionContextService } from './question-context.service';
import { QuestionContext, QuestionContextInput } from './question-context.types';

@Resolver(() => QuestionContext)
export class QuestionContextResolver {
  constructor(private readonly questionContexts: QuestionContextService) {}

  @Authorized('agent', 'system')
  @Query(() => QuestionContext, { description: 'What the answerer needs about a customer asking from a page' })
  async questionContext(@Arg('input') input: QuestionContextInput, @Ctx() ctx: AccountContextContext): Promise<QuestionContext> {
    const found = await this.questionContexts.questionContext(ctx.auth.workspaceId, assertUuid(input.customerId, 'customerId'), input.page ?? null);
    return {
      customer: toCustomer(found.customer),
      account: found.account && toAccount(found.account),
      openBugs: found.openBugs.map(toBug),
      page: found.page,
      pageProductAreas: found.pageProductAreas,
    };
  }
}
