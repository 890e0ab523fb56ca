/**
 * Opens the ClickHouse warehouse: a server when CLICKHOUSE_URL is set, otherwise chDB in-process
 * with its data in WAREHOUSE_PATH. Both are the same @clickhouse/client, so callers send the same SQL.
 *
 * Tables are always named fully qualified, never through a session database: the HTTP client's
 * `database` option has no effect on a chDB connection, and CREATE DATABASE must run before any
 * request could name the database. Migrations write `{database}.table` (replaced by migrate.ts);
 * queries write `{database:Identifier}.table` with `query_params: { database: warehouse.database }`;
 * inserts pass `table: \`${warehouse.database}.table\``.
 *
 * chDB binds one data directory per process: open the warehouse once and share it. Only the
 * process that owns WAREHOUSE_PATH (the insights service) may open it in the embedded mode. chDB is
 * loaded only in that mode: loading it costs about 100 ms and 160 MB of memory.
 */
import path from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type { z } from 'zod';
import type { warehouseEnv } from '../services/shared/config';
import type { Logger } from '../services/shared/logger';

export type WarehouseConfig = Readonly<z.infer<z.ZodObject<typeof warehouseEnv>>>;

export interface Warehouse {
  readonly client: ClickHouseClient;
  /** Validated identifier (config regex) of the database holding every Loopdesk table. */
  readonly database: string;
  close(): Promise<void>;
}

export async function createWarehouse(config: WarehouseConfig, logger?: Logger): Promise<Warehouse> {
  const database = config.CLICKHOUSE_DATABASE;
  const { client, release, where } = config.CLICKHOUSE_URL
    ? openServer(config.CLICKHOUSE_URL, config)
    : openChdb(path.resolve(config.WAREHOUSE_PATH));

  try {
    // The identifier passed the config regex; DDL cannot take it as a bound parameter.
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  } catch (error) {
    await client.close();
    await release();
    throw error;
  }
  logger?.info({ warehouse: where, database }, 'warehouse connected');

  let closed = false;
  return {
    client,
    database,
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
      await release();
    },
  };
}

/**
 * Settings whose defaults differ between ClickHouse versions, pinned so both modes answer alike.
 * chDB 26 prints UInt64 (count(), uniqExact…) as JSON numbers; servers before 25.x quote them as
 * strings. Numbers everywhere: counts stay far below 2^53. Cast to String where an exact 64-bit
 * value matters (hashes).
 */
const PINNED_SETTINGS = { output_format_json_quote_64bit_integers: 0 } as const;

type InjectedConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

interface Opened {
  client: ClickHouseClient;
  /** Extra teardown after client.close(). */
  release(): Promise<void>;
  /** For the log line: where the data lives, without credentials. */
  where: string;
}

function openServer(url: string, config: WarehouseConfig): Opened {
  const client = createClient({
    url,
    username: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    clickhouse_settings: PINNED_SETTINGS,
  });
  const { origin, pathname } = new URL(url);
  return { client, release: async () => undefined, where: `${origin}${pathname === '/' ? '' : pathname}` };
}

function openChdb(dataPath: string): Opened {
  // Loaded here, not at the top, so server mode never pays for the engine. `require` rather than
  // import: tsconfig's node10 module resolution ignores package "exports", where chdb/connection lives.
  const { createChdbConnection } = require('chdb/connection') as typeof import('chdb/dist/connection');
  const { drainPending } = require('chdb') as typeof import('chdb');
  let connection: ReturnType<typeof createChdbConnection>;
  try {
    // Creates the directory when missing.
    connection = createChdbConnection({ path: dataPath });
  } catch (error) {
    throw new Error(
      `chDB could not open the warehouse at ${dataPath}; chDB binds one data directory per process, ` +
        `so another directory may already be open here: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return {
    // chdb types its connection against @clickhouse/client-common 1.23.0, @clickhouse/client 1.23.1
    // against its own bundled copy of the same declarations; classes with private members in them
    // make the identical shapes nominally different to tsc.
    client: createClient({ connection: connection as unknown as InjectedConnection, clickhouse_settings: PINNED_SETTINGS }),
    // close() returns before the engine lets go of the directory if an operation was still running;
    // waiting here means the process can open another directory right after (tests do).
    release: () => drainPending(),
    where: `chdb:${dataPath}`,
  };
}
