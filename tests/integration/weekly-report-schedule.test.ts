import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { ensureWeeklyReportSchedule, reconcileWeeklyReportSchedules } from '../../workflows/schedules';
import { TestTemporal, quietTemporalRuntime, startTestTemporal } from '../helpers/temporal';

const NAMESPACE = 'default';

/** The report's schedule on the real Temporal dev server; the report itself is tested end to end (tests/e2e/weekly-report). */
describe('weekly intelligence report schedule', () => {
  let temporal: TestTemporal;
  let clientConnection: Connection;
  let client: Client;

  beforeAll(async () => {
    quietTemporalRuntime();
    temporal = await startTestTemporal();
    clientConnection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection: clientConnection, namespace: NAMESPACE });
  });

  afterAll(async () => {
    await clientConnection?.close();
    await temporal?.stop();
  });

  test('ensuring the schedule twice leaves one schedule firing Monday 06:00 in the workspace time zone', async () => {
    const workspaceId = randomUUID();
    const options = { workspaceId, taskQueue: `test-${randomUUID()}`, timeZone: 'Asia/Tokyo' };

    const first = await ensureWeeklyReportSchedule(client, options);
    const sut = await ensureWeeklyReportSchedule(client, options);

    expect(sut.scheduleId).toBe(`weekly-report-${workspaceId}`);
    expect(first.scheduleId).toBe(sut.scheduleId);
    const description = await sut.describe();
    expect(description.spec.timezone).toBe('Asia/Tokyo');
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'weeklyIntelligenceReport',
      taskQueue: options.taskQueue,
      args: [{ workspaceId }],
    });
    const tokyo = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    expect(description.info.nextActionTimes.length).toBeGreaterThan(0);
    for (const next of description.info.nextActionTimes) expect(tokyo.format(next)).toBe('Monday 06:00');
    expect(await schedulesWithId(sut.scheduleId)).toBe(1);
  });

  test("reconciling after the workspace's time zone changed moves the schedule there and keeps an operator's pause", async () => {
    const workspaceId = randomUUID();
    const taskQueue = `test-${randomUUID()}`;
    let zone = 'Asia/Tokyo';
    const workspaces = async () => [{ id: workspaceId, timeZone: zone }];
    await reconcileWeeklyReportSchedules(client, workspaces, taskQueue);
    const handle = client.schedule.getHandle(`weekly-report-${workspaceId}`);
    await handle.pause('quiet during the migration');

    zone = 'Europe/Paris';
    const sut = await reconcileWeeklyReportSchedules(client, workspaces, taskQueue);

    expect(sut).toBe(1);
    const description = await handle.describe();
    expect(description.spec.timezone).toBe('Europe/Paris');
    expect(description.state).toMatchObject({ paused: true, note: 'quiet during the migration' });
    expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'weeklyIntelligenceReport', taskQueue, args: [{ workspaceId }] });
    expect(description.policies).toMatchObject({ overlap: 'SKIP' });
    await handle.unpause();
    const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const next = (await handle.describe()).info.nextActionTimes;
    expect(next.length).toBeGreaterThan(0);
    for (const at of next) expect(paris.format(at)).toBe('Monday 06:00');
    expect(await schedulesWithId(handle.scheduleId)).toBe(1);
  });

  test('a workspace whose schedule cannot be kept does not hold back the others, and is named', async () => {
    const taskQueue = `test-${randomUUID()}`;
    const broken = { id: randomUUID(), timeZone: 'Nowhere/Atlantis' };
    const fine = { id: randomUUID(), timeZone: 'Europe/Lisbon' };

    const sut = reconcileWeeklyReportSchedules(client, async () => [broken, fine], taskQueue);

    await expect(sut).rejects.toThrow(new RegExp(`not kept for 1 of 2 workspaces: ${broken.id}`));
    expect((await client.schedule.getHandle(`weekly-report-${fine.id}`).describe()).spec.timezone).toBe('Europe/Lisbon');
  });

  test('a schedule already in the right zone and queue is left as it is', async () => {
    const options = { workspaceId: randomUUID(), taskQueue: `test-${randomUUID()}`, timeZone: 'America/New_York' };
    const created = await ensureWeeklyReportSchedule(client, options);
    const before = await created.describe();

    await ensureWeeklyReportSchedule(client, options);

    const after = await created.describe();
    expect(after.info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
    expect(after.spec.timezone).toBe('America/New_York');
  });

  /** Schedule listing goes through visibility, which may lag a create by a moment. */
  async function schedulesWithId(scheduleId: string): Promise<number> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      let count = 0;
      for await (const summary of client.schedule.list()) if (summary.scheduleId === scheduleId) count++;
      if (count > 0 || Date.now() > deadline) return count;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
});
