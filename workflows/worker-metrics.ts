/**
 * Temporal SDK metrics the dashboards and alerts in deploy/observability rely on; the SDK exports them (with
 * `_bucket`/`_sum`/`_count`) when WORKER_SDK_METRICS_PORT is set, and /metrics serves them with the rest.
 */
export const SDK_METRICS_IN_DASHBOARDS = ['temporal_workflow_task_execution_latency', 'temporal_workflow_task_schedule_to_start_latency'] as const;
