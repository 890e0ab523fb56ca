/**
 * The README's ClickHouse-cluster DDL parses: every statement of its sql block goes through ClickHouse's own
 * parser (formatQuery in chDB), with {database} and {cluster} substituted as an operator would.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Warehouse, createWarehouse } from '../../analytics/warehouse-client';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { REPO_ROOT } from '../helpers/repo-root';

const dataPath = mkdtempSync(path.join(tmpdir(), 'loopdesk-cluster-ddl-'));
let warehouse: Warehouse;

function clusterStatements(): string[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Running ClickHouse as a cluster'));
  const block = /```sql\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the cluster section has no sql block');
  return block
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter(Boolean)
    .map((statement) => statement.replaceAll('{database}', 'loopdesk').replaceAll('{cluster}', 'loopdesk_cluster'));
}

beforeAll(async () => {
  warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: dataPath }));
});

afterAll(async () => {
  await warehouse?.close();
  rmSync(dataPath, { recursive: true, force: true });
});

it('every statement of the cluster DDL parses, and it covers the raw table and each rollup', async () => {
  const statements = clusterStatements();
  for (const statement of statements) {
    const result = await warehouse.client.query({ query: 'SELECT formatQuery({statement:String}) AS formatted', query_params: { statement }, format: 'JSONEachRow' });
    const [row] = await result.json<{ formatted: string }>();
    expect(row?.formatted).toMatch(/^CREATE TABLE loopdesk\./);
  }
  const created = statements.map((statement) => /^CREATE TABLE loopdesk\.(\w+)/.exec(statement)?.[1]);
  for (const table of ['interaction_events', 'interaction_events_ingest', 'hourly_events', 'hourly_contacts', 'conversation_times', 'hourly_csat', 'hourly_citations', 'hourly_gap_questions', 'knowledge_lifecycle_events', 'hourly_event_totals', 'hourly_support_events', 'daily_friction', 'item_citations', 'daily_citations']) {
    expect(created).toContain(table);
    if (table !== 'interaction_events_ingest') expect(created).toContain(`${table}_all`);
  }
});

it('refuses a statement that does not parse, so the check can fail', async () => {
  await expect(
    warehouse.client.query({ query: 'SELECT formatQuery({statement:String})', query_params: { statement: 'CREATE TABLE x ENGINE = (' }, format: 'JSONEachRow' }),
  ).rejects.toThrow(/Syntax error/);
});
