/**
 * Loopdesk's workflows. Deterministic code only: no I/O, no Node built-ins, no service imports; everything
 * that touches the world is an activity, imported here as a type.
 */
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createActivities, WeeklyReport } from './activities';
import { reportedIsoWeek } from './iso-week';

const { buildWeeklyReport } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 5 },
});

export interface WeeklyIntelligenceReportInput {
  workspaceId: string;
  /**
   * The ISO week to report on ("2026-W48"). The schedule leaves it out: a run then reports on the week
   * that ended before it was scheduled.
   */
  isoWeek?: string;
}

export async function weeklyIntelligenceReport(input: WeeklyIntelligenceReportInput): Promise<WeeklyReport> {
  const isoWeek = input.isoWeek ?? reportedIsoWeek(scheduledOrStartTime());
  return await buildWeeklyReport({ workspaceId: input.workspaceId, isoWeek });
}

/** Set by the server on runs a Schedule starts. */
const scheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** A schedule run that starts late (catch-up after an outage) still reports on the week it was meant for. */
function scheduledOrStartTime(): Date {
  const info = workflowInfo();
  return info.typedSearchAttributes.get(scheduledStartTime) ?? info.startTime;
}
export { escalation } from './escalation';
export { productChangeReview } from './product-change-review';
