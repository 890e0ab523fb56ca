/**
 * Activities: the workflows' only way to touch the world. Plain functions closed over their dependencies, so
 * the worker wires real clients and tests wire whatever they need.
 */
import type { Logger } from '../../services/shared/logger';
import { ServiceActivityDeps, createServiceActivities } from './service-activities';

export interface ActivityDeps extends ServiceActivityDeps {
  logger: Logger;
}

export interface WeeklyReportRequest {
  workspaceId: string;
  isoWeek: string;
}

export interface WeeklyReport {
  workspaceId: string;
  isoWeek: string;
  /** ISO-8601 timestamp. */
  generatedAt: string;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createServiceActivities(deps),
    async buildWeeklyReport(request: WeeklyReportRequest): Promise<WeeklyReport> {
      // The content (rising topics, friction, knowledge gaps, what was learned) comes from insights later.
      deps.logger.info({ workspaceId: request.workspaceId, isoWeek: request.isoWeek }, 'building weekly report');
      return { workspaceId: request.workspaceId, isoWeek: request.isoWeek, generatedAt: new Date().toISOString() };
    },
  };
}

export type LoopdeskActivities = ReturnType<typeof createActivities>;
