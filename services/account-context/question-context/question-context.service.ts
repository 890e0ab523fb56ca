/**
 * What the answerer needs to know about the person asking: who they are, their account's plan and billing
 * state, and the open bugs that may be behind the question — those linked to their account, and those in
 * the product area of the page they ask from (see services/shared/product-areas.ts for the rule).
 */
import { notFound } from '../../shared/errors';
import type { BugEntity } from '../bug/bug.entity';
import type { BugService } from '../bug/bug.service';
import { productAreasOfPage } from '../../shared/product-areas';
import type { AccountEntity } from '../customer/account.entity';
import type { CustomerEntity } from '../customer/customer.entity';
import type { CustomerService } from '../customer/customer.service';

/** Enough for an answer to mention; an agent who needs every bug uses openBugs. */
const QUESTION_CONTEXT_BUG_LIMIT = 10;

export interface QuestionContextResult {
  customer: CustomerEntity;
  account: AccountEntity | null;
  openBugs: BugEntity[];
  page: string | null;
  pageProductAreas: string[];
}

export class QuestionContextService {
  constructor(
    private readonly customers: CustomerService,
    private readonly bugs: BugService,
  ) {}

  async questionContext(workspaceId: string, customerId: string, page: string | null): Promise<QuestionContextResult> {
    const customer = await this.customers.customerById(workspaceId, customerId);
    if (!customer) throw notFound('Customer', customerId);
    const account = customer.accountId ? await this.customers.accountById(workspaceId, customer.accountId) : null;
    const pageProductAreas = productAreasOfPage(page);
    const openBugs = await this.bugs.openBugsAffecting(workspaceId, account?.externalId ?? null, pageProductAreas, QUESTION_CONTEXT_BUG_LIMIT);
    return { customer, account, openBugs, page, pageProductAreas };
  }
}
