/**
 * Temporal Schedules Loopdesk keeps per workspace. Creating one is idempotent, so the caller (workspace
 * creation, start-up reconciliation) can call it whenever it is unsure the schedule exists.
 */
import { Client, ScheduleAlreadyRunning, ScheduleHandle, ScheduleOverlapPolicy } from '@temporalio/client';
import type { weeklyIntelligenceReport } from './index';

export interface WeeklyReportScheduleOptions {
  workspaceId: string;
  taskQueue: string;
  /** IANA zone of the workspace, e.g. "Europe/Paris"; the report arrives Monday 06:00 there. */
  timeZone: string;
}

function weeklyReportScheduleId(workspaceId: string): string {
  return `weekly-report-${workspaceId}`;
}

/**
 * Creates the workspace's schedule, or brings an existing one to the workspace's time zone and this worker's
 * task queue (an admin changed the zone; the deployment renamed its queue), changing nothing else.
 */
export async function ensureWeeklyReportSchedule(client: Client, options: WeeklyReportScheduleOptions): Promise<ScheduleHandle> {
  const scheduleId = weeklyReportScheduleId(options.workspaceId);
  try {
    return await client.schedule.create<typeof weeklyIntelligenceReport>({
      scheduleId,
      spec: {
        calendars: [{ dayOfWeek: 'MONDAY', hour: 6, minute: 0, comment: 'Monday 06:00 in the workspace time zone' }],
        timezone: options.timeZone,
      },
      action: {
        type: 'startWorkflow',
        // By name, so this module (loaded by services) does not pull workflow code in; the generic checks args.
        workflowType: 'weeklyIntelligenceReport',
        // No isoWeek: each run reports on the week that ended before its scheduled time.
        args: [{ workspaceId: options.workspaceId }],
        taskQueue: options.taskQueue,
        workflowId: scheduleId,
      },
      policies: {
        // A report still running a week later is stuck; don't pile another on top of it.
        overlap: ScheduleOverlapPolicy.SKIP,
        // After an outage of up to a day, still send the report that was missed.
        catchupWindow: '1 day',
      },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle = client.schedule.getHandle(scheduleId);
  const current = await handle.describe();
  const follows = current.spec.timezone === options.timeZone && current.action.type === 'startWorkflow' && current.action.taskQueue === options.taskQueue;
  if (!follows) {
    // Only the zone and the queue change: whatever else an operator set on the schedule (a pause, a note, jitter,
    // skipped times, the action's timeouts) stays as it is.
    await handle.update((previous) => ({
      ...previous,
      spec: { ...previous.spec, timezone: options.timeZone },
      action: { ...previous.action, taskQueue: options.taskQueue },
    }));
  }
  return handle;
}

/**
 * Makes sure every workspace has its weekly report schedule, in its current time zone: run by the worker at
 * start-up and then periodically, so a new workspace gets its schedule, and a changed zone reaches it, within one
 * period. Idempotent.
 */
export async function reconcileWeeklyReportSchedules(
  client: Client,
  workspaces: () => Promise<Array<{ id: string; timeZone: string }>>,
  taskQueue: string,
): Promise<number> {
  const all = await workspaces();
  // One workspace whose schedule cannot be kept (a zone Temporal does not know, a refused update) must not hold back
  // the others: each is tried, and the failures are reported together at the end.
  const failures: Array<{ workspaceId: string; error: unknown }> = [];
  for (const workspace of all) {
    try {
      await ensureWeeklyReportSchedule(client, { workspaceId: workspace.id, taskQueue, timeZone: workspace.timeZone });
    } catch (error) {
      failures.push({ workspaceId: workspace.id, error });
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(
      failures.map((failure) => failure.error),
      `weekly report schedules not kept for ${failures.length} of ${all.length} workspaces: ${failures.map((failure) => failure.workspaceId).join(', ')}`,
    );
  }
  return all.length;
}
