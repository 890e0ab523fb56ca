/**
 * Activities: the workflows' only way to touch the world. Plain functions closed over their dependencies, so
 * the worker wires real clients and tests wire whatever they need.
 */
import type { Logger } from '../../services/shared/logger';
import { ReportActivityDeps, createReportActivities } from './report-activities';
import { ServiceActivityDeps, createServiceActivities } from './service-activities';

export interface ActivityDeps extends ServiceActivityDeps, ReportActivityDeps {
  logger: Logger;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createServiceActivities(deps),
    ...createReportActivities(deps),
  };
}

export type LoopdeskActivities = ReturnType<typeof createActivities>;
