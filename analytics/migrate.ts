/**
 * Applies analytics/migrations/NNN-name.sql to the warehouse, each file once, in order, recording
 * each applied file in {database}.schema_migrations.
 *
 * ClickHouse has no transactional DDL: a file that fails halfway stays half applied and is not
 * recorded, so it runs again from the top next time. Write every statement so that a rerun is
 * harmless (IF NOT EXISTS, idempotent backfills). Never edit an applied file; add a new one.
 *
 * File format: statements end with `;` at the end of a line; lines starting with `--` are comments
 * and are dropped first, so they may say anything. `{database}` is replaced by the warehouse's
 * validated database identifier (DDL cannot take bound parameters) — the only text substitution.
 *
 * Callers that also relay hold analytics/warehouse-lock.ts around it (the insights process does): migrations by
 * two processes run one after the other, and no relay insert lands during a backfill.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../services/shared/logger';
import type { Warehouse } from './warehouse-client';

export interface WarehouseMigration {
  version: number;
  /** File name, e.g. `001-interaction-events.sql`. */
  name: string;
  checksum: string;
  statements: string[];
}

const FILE_NAME = /^(\d{3})-[a-z0-9-]+\.sql$/;
const DATABASE_PLACEHOLDER = /\{database\}/g;

/**
 * Returns the names of the files applied by this run, in order (empty when up to date).
 * `directory` defaults to analytics/migrations, found from both the sources and dist/.
 */
export async function migrateWarehouse(warehouse: Warehouse, logger?: Logger, directory = defaultDirectory()): Promise<string[]> {
  const { client, database } = warehouse;
  const migrations = await loadMigrations(directory, database);

  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${database}.schema_migrations
      (
        version    UInt32,
        name       String,
        checksum   String,
        applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
      )
      ENGINE = ReplacingMergeTree(applied_at)
      ORDER BY version`,
  });

  const appliedRows = await (
    await client.query({
      query: 'SELECT version, name, checksum FROM {database:Identifier}.schema_migrations FINAL',
      query_params: { database },
      format: 'JSONEachRow',
    })
  ).json<{ version: number; name: string; checksum: string }>();
  const applied = new Map(appliedRows.map((row) => [Number(row.version), row]));

  const appliedNow: string[] = [];
  for (const migration of migrations) {
    const previous = applied.get(migration.version);
    if (previous) {
      if (previous.checksum !== migration.checksum) {
        logger?.warn(
          { migration: migration.name, recordedAs: previous.name },
          'warehouse migration changed after it was applied; the change is ignored, add a new migration instead',
        );
      }
      continue;
    }
    const started = Date.now();
    for (const statement of migration.statements) {
      await client.command({ query: statement });
    }
    await client.insert({
      table: `${database}.schema_migrations`,
      values: [{ version: migration.version, name: migration.name, checksum: migration.checksum }],
      format: 'JSONEachRow',
    });
    appliedNow.push(migration.name);
    logger?.info({ migration: migration.name, ms: Date.now() - started }, 'applied warehouse migration');
  }
  return appliedNow;
}

/** Reads and parses every migration file, sorted by version; exported for tests and tooling. */
export async function loadMigrations(directory: string, database: string): Promise<WarehouseMigration[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: WarehouseMigration[] = [];
  for (const name of files) {
    const match = FILE_NAME.exec(name);
    if (!match) throw new Error(`Warehouse migration ${name} must be named NNN-kebab-name.sql`);
    const version = Number(match[1]);
    const previous = migrations[migrations.length - 1];
    if (previous?.version === version) throw new Error(`Warehouse migrations ${previous.name} and ${name} share version ${match[1]}`);
    const sql = await readFile(path.join(directory, name), 'utf8');
    const statements = splitStatements(sql).map((statement) => statement.replace(DATABASE_PLACEHOLDER, database));
    if (statements.length === 0) throw new Error(`Warehouse migration ${name} contains no statement`);
    migrations.push({ version, name, checksum: createHash('sha256').update(sql).digest('hex'), statements });
  }
  return migrations;
}

/** A ClickHouse server takes one statement per request, so files are split before sending. */
function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;[ \t]*\r?$/m)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

/** analytics/migrations next to this file, or in the source tree when running from dist/ (tsc copies no .sql). */
function defaultDirectory(): string {
  const candidates = [path.join(__dirname, 'migrations'), path.resolve(__dirname, '../../analytics/migrations')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`Warehouse migrations not found; looked in ${candidates.join(' and ')}`);
  return found;
}
