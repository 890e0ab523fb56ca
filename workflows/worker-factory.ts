/**
 * Builds the Loopdesk worker: every workflow in ./index and the given activities on one task queue. The worker
 * process and the integration tests both use it, so tests run the same registration as production.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { LoopdeskActivities } from './activities';

export interface LoopdeskWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: LoopdeskActivities;
}

/**
 * Bundling the workflow code (webpack) is most of a worker's start-up: seconds on an idle machine, tens of seconds
 * on a busy one, paid again by every restart after a crash. Running from dist/, the bundle is kept next to the
 * compiled workflows, named by a hash of what goes into it (the workflow files and the SDK's version), so a
 * restart reuses it and a rebuild with changed workflows makes a new one. Under ts-jest it is bundled each time.
 */
async function workflowCode(): Promise<{ workflowsPath: string } | { workflowBundle: { code: string } }> {
  // Resolves to index.ts under ts-jest and to index.js from dist/; the SDK bundles either.
  const workflowsPath = require.resolve('./index');
  if (!workflowsPath.endsWith('.js')) return { workflowsPath };
  const dir = path.dirname(workflowsPath);
  const hash = createHash('sha256');
  // Workflow files import only each other (top level of this folder) and the SDK; activities come in as types.
  // (Dot files are the cached bundles themselves.)
  const sources = readdirSync(dir).filter((name) => name.endsWith('.js') && !name.startsWith('.'));
  for (const file of sources.sort()) hash.update(file).update(readFileSync(path.join(dir, file)));
  for (const sdk of ['@temporalio/workflow', '@temporalio/common', '@temporalio/worker']) hash.update(sdk).update(readFileSync(require.resolve(`${sdk}/package.json`)));
  const cached = path.join(dir, `.workflow-bundle-${hash.digest('hex').slice(0, 16)}.js`);
  if (existsSync(cached)) return { workflowBundle: { code: readFileSync(cached, 'utf8') } };
  const { code } = await bundleWorkflowCode({ workflowsPath });
  // Written whole, then renamed: a worker killed mid-write leaves no half bundle behind.
  const partial = `${cached}.${process.pid}.tmp`;
  writeFileSync(partial, code, { mode: 0o600 });
  renameSync(partial, cached);
  // Bundles of earlier builds are of no further use.
  for (const stale of readdirSync(dir).filter((name) => name.startsWith('.workflow-bundle-') && name.endsWith('.js') && path.join(dir, name) !== cached)) rmSync(path.join(dir, stale), { force: true });
  return { workflowBundle: { code } };
}

export async function createLoopdeskWorker(options: LoopdeskWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(await workflowCode()),
    activities: options.activities,
    // In-flight activities get this long to finish on SIGTERM before they are cancelled.
    shutdownGraceTime: '10s',
  });
}
