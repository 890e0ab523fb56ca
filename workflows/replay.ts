/**
 * `node dist/workflows/replay.js <dir>`: replays every workflow history (*.json, as `temporal workflow show
 * --output json` writes them) in a folder against the current workflow code, and exits non-zero if any of them
 * no longer replays deterministically. CI runs it over tests/fixtures/histories; operators can run it over
 * histories of running cases before deploying a new worker.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dir = process.argv[2];
  if (!dir) throw new Error('Usage: node dist/workflows/replay.js <folder of history JSON files>');
  const files = readdirSync(dir).filter((file) => file.endsWith('.json')).sort();
  if (files.length === 0) throw new Error(`${dir} holds no history files`);
  const histories = files.map((file) => ({
    workflowId: path.basename(file, '.json'),
    history: historyFromJSON(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))),
  }));
  let failed = 0;
  for await (const result of Worker.runReplayHistories({ workflowsPath: require.resolve('./index') }, histories)) {
    if (result.error) failed += 1;
    console.log(JSON.stringify({ history: result.workflowId, replayed: !result.error, error: result.error ? String(result.error) : undefined }));
  }
  console.log(`${files.length - failed} of ${files.length} histories replayed`);
  if (failed > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
