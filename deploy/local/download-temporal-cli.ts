/**
 * The fallback for a machine with internet and no Go: the Temporal SDK's own download of the Temporal CLI (the
 * binary `TestWorkflowEnvironment.createLocal` of @temporalio/testing fetches and runs), kept under .tools/ and
 * linked as .tools/temporal so `npm start` and the tests find it like a Go build. The SDK picks the CLI version
 * that matches it, not the pinned v1.5.1 that install-temporal-cli.sh builds.
 *   node dist/deploy/local/download-temporal-cli.js <tools dir>   (prints the binary's path on stdout)
 */
import { accessSync, constants } from 'node:fs';
import { mkdir, readdir, rm, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';

async function newestExecutable(dir: string): Promise<string | undefined> {
  const files = await Promise.all(
    (await readdir(dir)).map(async (name) => {
      const file = path.join(dir, name);
      const info = await stat(file);
      try {
        accessSync(file, constants.X_OK);
      } catch {
        return undefined;
      }
      return info.isFile() ? { file, modified: info.mtimeMs } : undefined;
    }),
  );
  return files.filter((entry) => entry !== undefined).sort((a, b) => b.modified - a.modified)[0]?.file;
}

async function main(): Promise<void> {
  const toolsDir = path.resolve(process.argv[2] ?? '.tools');
  const downloadDir = path.join(toolsDir, 'sdk-download');
  await mkdir(downloadDir, { recursive: true });
  console.error(`download-temporal-cli: fetching the Temporal CLI with the Temporal SDK into ${downloadDir}`);
  // Starting the server proves the downloaded binary runs here; it is stopped at once.
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'cached-download', downloadDir } } });
  await env.teardown();
  const binary = await newestExecutable(downloadDir);
  if (!binary) throw new Error(`the SDK reported success but left no executable in ${downloadDir}`);
  const link = path.join(toolsDir, 'temporal');
  await rm(link, { force: true });
  await symlink(binary, link);
  console.log(link);
}

main().catch((error: unknown) => {
  console.error(`download-temporal-cli: ${error instanceof Error ? error.message : String(error)} (the download needs internet access)`);
  process.exit(1);
});
