import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createLogger } from '../../services/shared/logger';
import { weeklyIntelligenceReport } from '../../workflows';
import { ConversationClient } from '../../workflows/clients/conversation-client';
import { KnowledgeClient } from '../../workflows/clients/knowledge-client';
import { InternalGraphQLClient } from '../../services/shared/internal-client';
import { createActivities } from '../../workflows/activities';
import { reportedIsoWeek } from '../../workflows/iso-week';
import { ensureWeeklyReportSchedule } from '../../workflows/schedules';
import { createLoopdeskWorker } from '../../workflows/worker-factory';
import { TestTemporal, quietTemporalRuntime, startTestTemporal } from '../helpers/temporal';

const NAMESPACE = 'default';

describe('weekly intelligence report', () => {
  let temporal: TestTemporal;
  let workerConnection: NativeConnection;
  let clientConnection: Connection;
  let client: Client;

  beforeAll(async () => {
    quietTemporalRuntime();
    temporal = await startTestTemporal();
    workerConnection = await NativeConnection.connect({ address: temporal.address });
    clientConnection = await Connection.connect({ address: temporal.address });
    client = new Client({ connection: clientConnection, namespace: NAMESPACE });
  });

  afterAll(async () => {
    await clientConnection?.close();
    await workerConnection?.close();
    await temporal?.stop();
  });

  // Each test gets its own task queue and workspace, so tests never pick up each other's work.
  const newWorker = (taskQueue: string) =>
    createLoopdeskWorker({
      connection: workerConnection,
      namespace: NAMESPACE,
      taskQueue,
      activities: createActivities({
        logger: createLogger('test', 'silent'),
        // The report workflow calls no service; these clients point nowhere and are never used.
        conversation: new ConversationClient(new InternalGraphQLClient('http://127.0.0.1:9/graphql', 'unused-secret-unused-secret-unused-00')),
        knowledge: new KnowledgeClient(new InternalGraphQLClient('http://127.0.0.1:9/graphql', 'unused-secret-unused-secret-unused-00')),
      }),
    });

  test('a requested report comes back for the workspace and week asked', async () => {
    const taskQueue = `test-${randomUUID()}`;
    const workspaceId = randomUUID();
    const worker = await newWorker(taskQueue);

    const report = await worker.runUntil(
      client.workflow.execute(weeklyIntelligenceReport, {
        taskQueue,
        workflowId: `weekly-report-${workspaceId}-2026-W48`,
        args: [{ workspaceId, isoWeek: '2026-W48' }],
      }),
    );

    expect(report).toEqual({ workspaceId, isoWeek: '2026-W48', generatedAt: expect.any(String) });
    expect(Number.isNaN(Date.parse(report.generatedAt))).toBe(false);
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

  test('a scheduled run reports on the week that ended before it', async () => {
    const workspaceId = randomUUID();
    const taskQueue = `test-${randomUUID()}`;
    const schedule = await ensureWeeklyReportSchedule(client, { workspaceId, taskQueue, timeZone: 'Europe/Paris' });
    const worker = await newWorker(taskQueue);

    const report = await worker.runUntil(async () => {
      await schedule.trigger();
      const workflowId = await firstActionWorkflowId(schedule.scheduleId);
      return client.workflow.getHandle<typeof weeklyIntelligenceReport>(workflowId).result();
    });

    expect(report).toMatchObject({ workspaceId, isoWeek: reportedIsoWeek(new Date()) });
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

  async function firstActionWorkflowId(scheduleId: string): Promise<string> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [action] = (await client.schedule.getHandle(scheduleId).describe()).info.recentActions;
      if (action) return action.action.workflow.workflowId;
      if (Date.now() > deadline) throw new Error(`schedule ${scheduleId} took no action within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
});
