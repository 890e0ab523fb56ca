/**
 * Durable workflow starts: a service queues "start this workflow" in its own `workflow_starts` table in the
 * same transaction as the change that calls for it; the dispatcher starts it afterwards. A Temporal outage
 * delays starts and loses none; a repeat start joins the running workflow (conflict policy USE_EXISTING).
 */
import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from './logger';
import { PollingLoop } from './polling-loop';

export interface WorkflowStart {
  workflowType: string;
  workflowId: string;
  args: unknown[];
}

/** SQL for a service's migration: the same table shape in every schema. */
export function workflowStartsTableSql(schema: string): string[] {
  return [
    `CREATE TABLE ${schema}.workflow_starts (
       id bigserial PRIMARY KEY,
       workspace_id uuid NOT NULL,
       workflow_type text NOT NULL,
       workflow_id text NOT NULL,
       args jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       started_at timestamptz
     )`,
    `CREATE INDEX workflow_starts_pending ON ${schema}.workflow_starts (id) WHERE started_at IS NULL`,
  ];
}

export async function queueWorkflowStart(tx: EntityManager, schema: string, workspaceId: string, start: WorkflowStart): Promise<void> {
  await tx.query(`INSERT INTO ${schema}.workflow_starts (workspace_id, workflow_type, workflow_id, args) VALUES ($1, $2, $3, $4)`, [
    workspaceId,
    start.workflowType,
    start.workflowId,
    JSON.stringify(start.args),
  ]);
}

export class WorkflowStartDispatcher {
  private readonly loop: PollingLoop;

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly temporal: () => Promise<Client>,
    private readonly taskQueue: string,
    logger: Logger,
    intervalMs = 500,
  ) {
    this.loop = new PollingLoop(() => this.dispatchPending(), {
      intervalMs,
      onFailure: (error, failures) => logger.warn({ err: error, failures }, 'workflow starts wait for Temporal'),
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  async dispatchPending(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows: Array<{ id: string; workflow_type: string; workflow_id: string; args: unknown[] }> = await tx.query(
        `SELECT id, workflow_type, workflow_id, args FROM ${this.schema}.workflow_starts WHERE started_at IS NULL ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return 0;
      const client = await this.temporal();
      const started: string[] = [];
      try {
        for (const row of rows) {
          await client.workflow.start(row.workflow_type, {
            workflowId: row.workflow_id,
            taskQueue: this.taskQueue,
            args: row.args,
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          });
          started.push(row.id);
        }
      } finally {
        if (started.length > 0) await tx.query(`UPDATE ${this.schema}.workflow_starts SET started_at = now() WHERE id = ANY($1::bigint[])`, [started]);
      }
      return started.length;
    });
  }
}
