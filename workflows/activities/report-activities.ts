/**
 * The weekly report's activities: build and store it in insights (idempotent per workflow run), then post it
 * to one webhook per call so each webhook gets its own retries.
 */
import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../../services/shared/errors';
import type { AccountContextClient } from '../clients/account-context-client';
import type { InsightsClient } from '../clients/insights-client';

export interface ReportActivityDeps {
  accountContext: AccountContextClient;
  insights: InsightsClient;
}

export interface CompileReportRequest {
  workspaceId: string;
  isoWeek: string;
  /** The workflow run: a retry of the same run reuses what it already built. */
  runKey: string;
}

export interface DeliverReportRequest {
  workspaceId: string;
  reportId: string;
  webhookId: string;
}

/** The peer refused for good (bad input, gone): retrying cannot help. */
function finalOr(error: unknown): never {
  if (error instanceof DomainError && ['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT'].includes(error.code)) {
    throw ApplicationFailure.create({ message: error.message, type: error.code, nonRetryable: true });
  }
  throw error;
}

export function createReportActivities(deps: ReportActivityDeps) {
  return {
    async compileWeeklyReport(request: CompileReportRequest): Promise<{ reportId: string; webhookIds: string[] }> {
      const workspace = await deps.accountContext.workspace(request.workspaceId).catch(finalOr);
      if (!workspace) throw ApplicationFailure.create({ message: `Workspace ${request.workspaceId} does not exist`, type: 'NOT_FOUND', nonRetryable: true });
      return deps.insights
        .compileWeeklyReport({ workspaceId: workspace.id, workspaceName: workspace.name, timeZone: workspace.timeZone, isoWeek: request.isoWeek, runKey: request.runKey })
        .catch(finalOr);
    },

    async deliverWeeklyReport(request: DeliverReportRequest): Promise<{ outcome: string; attempts: number }> {
      return deps.insights.deliverWeeklyReport(request.workspaceId, request.reportId, request.webhookId).catch(finalOr);
    },
  };
}
