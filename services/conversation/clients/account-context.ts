/** Typed client for the account-context subgraph's internal endpoint. */
import { InternalGraphQLClient } from '../../shared/internal-client';
import type { AskerContextCache } from './asker-context-cache';

/** An open bug as the ask path sees it: enough to match a question to it and to say which one it was. */
export interface AskerBug {
  id: string;
  title: string;
  productAreas: string[];
  url: string | null;
}

export interface AskerContext {
  plan: string | null;
  billingState: string | null;
  /** When the account signed up (ISO 8601): the asker's tenure bucket. */
  signedUpAt: string | null;
  segments: string[];
  openBugs: AskerBug[];
}

const UPSERT_CUSTOMER = `mutation EnsureCustomer($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { id } }`;

const QUESTION_CONTEXT = `query QuestionContext($input: QuestionContextInput!) {
  questionContext(input: $input) { account { plan billingState segments signedUpAt } openBugs { id title productAreas url } }
}`;

const AGENT = `query Agent($id: ID!) { agent(id: $id) { id name active } }`;
const GROUP_MEMBERS = `query GroupMembers($group: String!) { agents(filter: { group: $group }) { id } }`;

export interface AgentSummary {
  id: string;
  name: string;
  active: boolean;
}

const caller = (workspaceId: string) => ({ workspaceId, role: 'system' as const, subject: 'service:conversation' });

/** Customer ids remembered per process: a customer's id never changes, so a returning asker costs no round trip. */
const MAX_REMEMBERED_CUSTOMERS = 50_000;

export class AccountContextClient {
  /** `${workspaceId} ${externalId}` → account-context id, oldest first (Map order) so the oldest is forgotten first. */
  private readonly customerIds = new Map<string, string>();

  /** askerContexts: questionContext's answers kept briefly (null: every ask asks account-context). */
  constructor(
    private readonly graphql: InternalGraphQLClient,
    private readonly askerContexts: AskerContextCache | null = null,
  ) {}

  /** The account-context id of a verified end-customer, creating the record on first contact. */
  async ensureCustomer(workspaceId: string, externalId: string): Promise<string> {
    const key = `${workspaceId} ${externalId}`;
    const known = this.customerIds.get(key);
    if (known) return known;
    const data = await this.graphql.request<{ upsertCustomer: { id: string } }>(UPSERT_CUSTOMER, { input: { externalId } }, caller(workspaceId), { idempotent: true });
    if (this.customerIds.size >= MAX_REMEMBERED_CUSTOMERS) this.customerIds.delete(this.customerIds.keys().next().value as string);
    this.customerIds.set(key, data.upsertCustomer.id);
    return data.upsertCustomer.id;
  }

  /** An agent of the workspace; NOT_FOUND (a DomainError) for an id of no agent there. */
  async agent(workspaceId: string, agentId: string): Promise<AgentSummary> {
    const data = await this.graphql.request<{ agent: AgentSummary }>(AGENT, { id: agentId }, caller(workspaceId));
    return data.agent;
  }

  /** How many active agents are in a group. */
  async groupSize(workspaceId: string, group: string): Promise<number> {
    const data = await this.graphql.request<{ agents: Array<{ id: string }> }>(GROUP_MEMBERS, { group }, caller(workspaceId));
    return data.agents.length;
  }

  /** What the answerer should know about the asker: plan, billing state, open bugs that affect them. */
  questionContext(workspaceId: string, customerId: string, page: string | null): Promise<AskerContext> {
    if (!this.askerContexts) return this.fetchQuestionContext(workspaceId, customerId, page);
    return this.askerContexts.get(workspaceId, customerId, page, () => this.fetchQuestionContext(workspaceId, customerId, page));
  }

  private async fetchQuestionContext(workspaceId: string, customerId: string, page: string | null): Promise<AskerContext> {
    const data = await this.graphql.request<{
      questionContext: { account: { plan: string; billingState: string; segments: string[]; signedUpAt: string | null } | null; openBugs: AskerBug[] };
    }>(QUESTION_CONTEXT, { input: { customerId, page: page ?? undefined } }, caller(workspaceId));
    const { account, openBugs } = data.questionContext;
    return { plan: account?.plan ?? null, billingState: account?.billingState ?? null, signedUpAt: account?.signedUpAt ?? null, segments: account?.segments ?? [], openBugs };
  }
}
