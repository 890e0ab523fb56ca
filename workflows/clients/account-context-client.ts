/** The worker's typed client for the account-context service's internal endpoint. */
import type { InternalGraphQLClient } from '../../services/shared/internal-client';
import { SYSTEM_WORKSPACE } from '../../services/shared/request-context';

const ALL_WORKSPACES = `query AllWorkspaces { allWorkspaces { id name timeZone } }`;

export interface WorkspaceSummary {
  id: string;
  name: string;
  timeZone: string;
}

export class AccountContextClient {
  constructor(private readonly graphql: InternalGraphQLClient) {}

  async allWorkspaces(): Promise<WorkspaceSummary[]> {
    const data = await this.graphql.request<{ allWorkspaces: WorkspaceSummary[] }>(ALL_WORKSPACES, {}, {
      workspaceId: SYSTEM_WORKSPACE,
      role: 'system',
      subject: 'service:worker',
    });
    return data.allWorkspaces;
  }

  async workspace(id: string): Promise<WorkspaceSummary | null> {
    return (await this.allWorkspaces()).find((workspace) => workspace.id === id) ?? null;
  }
}
