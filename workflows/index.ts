/**
 * Loopdesk's workflows. Deterministic code only: no I/O, no Node built-ins, no service imports; everything
 * that touches the world is an activity, imported here as a type.
 */
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';
import { ParentClosePolicy, patched, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from './activities';
import { reportedIsoWeek } from './iso-week';

const { compileWeeklyReport } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumAttempts: 5 },
});

/**
 * A webhook that is down gets six tries over about eight minutes (2 s, 6 s, 18 s, 54 s, 162 s apart), then
 * the report is left undelivered to it (its attempts and last error stay on the report).
 */
const { deliverWeeklyReport } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 3, maximumAttempts: 6 },
});

export interface WeeklyReportDelivery {
  webhookId: string;
  /** delivered, already_delivered, webhook_removed, or failed after every retry. */
  outcome: string;
}

export interface WeeklyReportResult {
  workspaceId: string;
  isoWeek: string;
  reportId: string;
  /** The workflow posting the report to the webhooks (null: none configured); its result is the deliveries. */
  deliveryWorkflowId?: string | null;
  /** Runs started before delivery moved to its own workflow waited for it and returned the outcomes here. */
  deliveries?: WeeklyReportDelivery[];
}

export interface WeeklyReportDeliveryInput {
  workspaceId: string;
  reportId: string;
  webhookIds: string[];
}

/** Runs started before this patch posted to the webhooks themselves, and so finished only once every post had. */
const DELIVER_IN_OWN_WORKFLOW = 'weekly-report-delivery-in-own-workflow';

export interface WeeklyIntelligenceReportInput {
  workspaceId: string;
  /**
   * The ISO week to report on ("2026-W48"). The schedule leaves it out: a run then reports on the week
   * that ended before it was scheduled.
   */
  isoWeek?: string;
}

/**
 * Builds and stores the report in insights, then hands posting it to the webhooks to a workflow of its own
 * and returns: whoever waits for the report (generateWeeklyReport) does not wait on slow or failing webhooks.
 */
export async function weeklyIntelligenceReport(input: WeeklyIntelligenceReportInput): Promise<WeeklyReportResult> {
  const { workspaceId } = input;
  const isoWeek = input.isoWeek ?? reportedIsoWeek(scheduledOrStartTime());
  const { reportId, webhookIds } = await compileWeeklyReport({ workspaceId, isoWeek, runKey: workflowInfo().runId });
  if (!patched(DELIVER_IN_OWN_WORKFLOW)) return { workspaceId, isoWeek, reportId, deliveries: await deliverToWebhooks({ workspaceId, reportId, webhookIds }) };
  if (webhookIds.length === 0) return { workspaceId, isoWeek, reportId, deliveryWorkflowId: null };
  const delivery = await startChild(weeklyReportDelivery, {
    workflowId: `weekly-report-delivery-${reportId}-${workflowInfo().runId}`,
    args: [{ workspaceId, reportId, webhookIds }],
    // The report is stored: its posts carry on (with their retries) after this run has returned.
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
  return { workspaceId, isoWeek, reportId, deliveryWorkflowId: delivery.workflowId };
}

/** Posts a stored report to each webhook on its own, with its own retries; returns how each went. */
export async function weeklyReportDelivery(input: WeeklyReportDeliveryInput): Promise<WeeklyReportDelivery[]> {
  return deliverToWebhooks(input);
}

function deliverToWebhooks({ workspaceId, reportId, webhookIds }: WeeklyReportDeliveryInput): Promise<WeeklyReportDelivery[]> {
  return Promise.all(
    webhookIds.map(async (webhookId): Promise<WeeklyReportDelivery> => {
      try {
        const { outcome } = await deliverWeeklyReport({ workspaceId, reportId, webhookId });
        return { webhookId, outcome };
      } catch {
        return { webhookId, outcome: 'failed' };
      }
    }),
  );
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
