/** The worker's typed client for the account-context service's internal endpoint. */
import type { InternalGraphQLClient } from '../../services/shared/internal-client';
import { SYSTEM_WORKSPACE } from '../../services/shared/request-context';

const ALL_WORKSPACES = `query AllWorkspaces { allWorkspaces { id timeZone } }`;

export class AccountContextClient {
  constructor(private readonly graphql: InternalGraphQLClient) {}

  async allWorkspaces(): Promise<Array<{ id: string; timeZone: string }>> {
    const data = await this.graphql.request<{ allWorkspaces: Array<{ id: string; timeZone: string }> }>(ALL_WORKSPACES, {}, {
      workspaceId: SYSTEM_WORKSPACE,
      role: 'system',
      subject: 'service:worker',
    });
    return data.allWorkspaces;
  }
}
