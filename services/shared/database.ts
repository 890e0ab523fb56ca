/**
 * One TypeORM DataSource per Postgres-backed service, bound to that service's own Postgres schema.
 * Migrations run at start-up; synchronize is never used.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, MixedList, EntitySchema } from 'typeorm';
import { isDatabaseOutage } from './errors';

export interface ServiceDatabaseOptions {
  url: string;
  /** The Postgres schema this service owns, e.g. "knowledge". */
  schema: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  poolSize?: number;
}

export function createServiceDataSource(options: ServiceDatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: { max: options.poolSize ?? 10, application_name: `loopdesk-${options.schema}` },
  });
}

/** How long a starting service waits for Postgres to accept connections (a restart, a failover) before giving up. */
const CONNECT_PATIENCE_MS = 60_000;

/**
 * Connects, waiting while Postgres is unreachable or starting up (a service restarted during a database outage
 * must not crash-loop), then creates the service's schema if needed and applies pending migrations inside one
 * transaction each.
 */
export async function openServiceDatabase(options: ServiceDatabaseOptions): Promise<DataSource> {
  const dataSource = await connectPatiently(options);
  await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

async function connectPatiently(options: ServiceDatabaseOptions): Promise<DataSource> {
  const deadline = Date.now() + CONNECT_PATIENCE_MS;
  for (let attempt = 0; ; attempt += 1) {
    const dataSource = createServiceDataSource(options);
    try {
      return await dataSource.initialize();
    } catch (error) {
      if (!isDatabaseOutage(error) || Date.now() > deadline) throw error;
      await sleep(Math.min(250 * 2 ** attempt, 5_000));
    }
  }
}
