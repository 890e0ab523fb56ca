/** The worker's typed client for the insights service's internal endpoint (weekly reports). */
import type { InternalGraphQLClient } from '../../services/shared/internal-client';

const COMPILE = `mutation Compile($input: CompileWeeklyReportInput!) { compileWeeklyReport(input: $input) { reportId webhookIds } }`;
const DELIVER = `mutation Deliver($input: DeliverWeeklyReportInput!) { deliverWeeklyReport(input: $input) { outcome attempts } }`;

const caller = (workspaceId: string) => ({ workspaceId, role: 'system' as const, subject: 'service:worker' });

export interface CompileRequest {
  workspaceId: string;
  workspaceName: string;
  timeZone: string;
  isoWeek: string;
  runKey: string;
}

export class InsightsClient {
  constructor(private readonly graphql: InternalGraphQLClient) {}

  async compileWeeklyReport({ workspaceId, ...input }: CompileRequest): Promise<{ reportId: string; webhookIds: string[] }> {
    const data = await this.graphql.request<{ compileWeeklyReport: { reportId: string; webhookIds: string[] } }>(COMPILE, { input }, caller(workspaceId));
    return data.compileWeeklyReport;
  }

  async deliverWeeklyReport(workspaceId: string, reportId: string, webhookId: string): Promise<{ outcome: string; attempts: number }> {
    const data = await this.graphql.request<{ deliverWeeklyReport: { outcome: string; attempts: number } }>(DELIVER, { input: { reportId, webhookId } }, caller(workspaceId));
    return data.deliverWeeklyReport;
  }
}
