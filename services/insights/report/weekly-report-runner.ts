/**
 * On-demand reports go through the same workflow as the scheduled ones (so they are built, stored and
 * delivered exactly the same way): start it on Temporal and wait for it. The workflow returns once the report
 * is stored; posting to the webhooks carries on in a workflow of its own, so a slow webhook never holds this up.
 */
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { unavailable } from '../../shared/errors';
import type { lazyTemporalClient } from '../../shared/temporal-connection';

/** Longest a caller waits for an on-demand report before getting UNAVAILABLE (the run carries on). */
const WAIT_MS = 120_000;

export class WeeklyReportRunner {
  constructor(
    private readonly temporal: ReturnType<typeof lazyTemporalClient>,
    private readonly taskQueue: string,
  ) {}

  async run(workspaceId: string, isoWeek: string): Promise<void> {
    let client;
    try {
      client = await this.temporal.get();
    } catch {
      throw unavailable('The workflow engine is not reachable; try again shortly');
    }
    // By name: this process does not load workflow code. One on-demand run per workspace and week at a time;
    // a second request while it runs waits for the same run.
    const handle = await client.workflow.start('weeklyIntelligenceReport', {
      taskQueue: this.taskQueue,
      workflowId: `weekly-report-${workspaceId}-${isoWeek}-on-demand`,
      args: [{ workspaceId, isoWeek }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(unavailable('The report is still being built; fetch it with weeklyReport in a moment')), WAIT_MS).unref());
    await Promise.race([handle.result(), timeout]);
  }
}
