/**
 * Builds the Loopdesk worker: every workflow in ./index and the given activities on one task queue. The worker
 * process and the integration tests both use it, so tests run the same registration as production.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import type { LoopdeskActivities } from './activities';

export interface LoopdeskWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: LoopdeskActivities;
}

export function createLoopdeskWorker(options: LoopdeskWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    // Resolves to index.ts under ts-jest and to index.js from dist/; the SDK bundles either.
    workflowsPath: require.resolve('./index'),
    activities: options.activities,
    // In-flight activities get this long to finish on SIGTERM before they are cancelled.
    shutdownGraceTime: '10s',
  });
}
