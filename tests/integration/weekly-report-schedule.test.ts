import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { ensureWeeklyReportSchedule } from '../../workflows/schedules';
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
