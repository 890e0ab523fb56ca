/**
 * The relay killed mid-batch and restarted: no event missing, no raw row twice. The relay runs where it
 * runs in production, inside the insights process (from dist/), against real Postgres and chDB; it is killed
 * with SIGKILL while draining.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createWarehouse } from '../../analytics/warehouse-client';
import { parseConfig, warehouseEnv } from '../../services/shared/config';
import { OutboxFixture, createOutboxFixture } from '../helpers/outbox-fixture';

jest.setTimeout(120_000);

const EVENTS = 20_000;
const RELAY_BATCH_SIZE = 250;
const workspaceId = randomUUID();
const warehousePath = mkdtempSync(path.join(tmpdir(), 'loopdesk-relay-crash-'));
let outbox: OutboxFixture;

beforeAll(async () => {
  outbox = await createOutboxFixture(workspaceId, EVENTS);
});

afterAll(async () => {
  await outbox?.drop();
  rmSync(warehousePath, { recursive: true, force: true });
});

function startInsights(): ChildProcess {
  return spawn(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'services', 'insights', 'index.js')], {
    env: {
      ...process.env,
      INTERNAL_HMAC_SECRET: 'relay-crash-test-secret-0000000000000',
      DATABASE_URL: outbox.database.url,
      WAREHOUSE_PATH: warehousePath,
      PORT: '0',
      METRICS_PORT: '0',
      LOG_LEVEL: 'error',
      RELAY_BATCH_SIZE: String(RELAY_BATCH_SIZE),
      RELAY_INTERVAL_MS: '50',
    },
    stdio: 'ignore',
  });
}

async function until(check: () => Promise<boolean>, timeoutMs: number, pollMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));

it('after a SIGKILL mid-drain and a restart, every event is in the warehouse exactly once', async () => {
  const first = startInsights();
  await until(async () => (await outbox.published()) >= 1_000, 60_000);
  first.kill('SIGKILL');
  await exited(first);
  const publishedAtKill = await outbox.published();
  expect(publishedAtKill).toBeLessThan(EVENTS);

  const second = startInsights();
  await until(async () => (await outbox.published()) === EVENTS, 90_000, 100);
  second.kill('SIGTERM');
  await exited(second);

  const warehouse = await createWarehouse(parseConfig(warehouseEnv, { WAREHOUSE_PATH: warehousePath }));
  try {
    // Raw rows, without FINAL or uniqExact, which would hide a re-sent event. The batch the kill interrupted may
    // have reached the warehouse before its outbox rows were marked, and the relay sends it again by design, whole,
    // under the same deduplication token (analytics/migrations/011), so even that batch lands once. A second row
    // for any event fails this.
    const result = await warehouse.client.query({
      query: `SELECT count() AS rawRows, uniqExact(event_id) AS distinctEvents
                FROM {database:Identifier}.interaction_events WHERE workspace_id = {workspaceId:UUID}`,
      query_params: { database: warehouse.database, workspaceId },
      format: 'JSONEachRow',
    });
    const [counts] = await result.json<{ rawRows: string | number; distinctEvents: string | number }>();
    expect({ rawRows: Number(counts!.rawRows), distinctEvents: Number(counts!.distinctEvents) }).toEqual({ rawRows: EVENTS, distinctEvents: EVENTS });
  } finally {
    await warehouse.close();
  }
});
