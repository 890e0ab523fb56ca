/** Typed client for the account-context subgraph's internal endpoint. */
import { InternalGraphQLClient } from '../../shared/internal-client';

const UPSERT_CUSTOMER = `mutation EnsureCustomer($input: UpsertCustomerInput!) { upsertCustomer(input: $input) { id } }`;

export class AccountContextClient {
  constructor(private readonly graphql: InternalGraphQLClient) {}

  /** The account-context id of a verified end-customer, creating the record on first contact. */
  async ensureCustomer(workspaceId: string, externalId: string): Promise<string> {
    const data = await this.graphql.request<{ upsertCustomer: { id: string } }>(
      UPSERT_CUSTOMER,
      { input: { externalId } },
      { workspaceId, role: 'system', subject: 'service:conversation' },
    );
    return data.upsertCustomer.id;
  }
}
