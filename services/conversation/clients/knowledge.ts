/** Typed client for the knowledge subgraph's internal endpoint. */
import { InternalGraphQLClient } from '../../shared/internal-client';

export interface RetrievedPassage {
  passageId: string;
  knowledgeItemId: string;
  itemVersion: number;
  title: string;
  text: string;
  topic: string;
  score: number;
}

const RETRIEVE = `query Retrieve($input: RetrievePassagesInput!) {
  retrievePassages(input: $input) { passageId knowledgeItemId itemVersion title text topic score }
}`;

export class KnowledgeClient {
  constructor(private readonly graphql: InternalGraphQLClient) {}

  async retrieve(workspaceId: string, text: string, limit: number): Promise<RetrievedPassage[]> {
    const data = await this.graphql.request<{ retrievePassages: RetrievedPassage[] }>(
      RETRIEVE,
      { input: { text, limit } },
      { workspaceId, role: 'system', subject: 'service:conversation' },
    );
    return data.retrievePassages;
  }
}
