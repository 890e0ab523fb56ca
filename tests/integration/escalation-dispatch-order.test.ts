/**
 * Two dispatchers (two conversation replicas) on one real Postgres and a real Temporal dev server: while one is
 * sending a conversation's hand-off, the other leaves that conversation's later commands alone, so a claim queued
 * meanwhile reaches the workflow after the hand-off started it, instead of being signalled to a workflow that did
 * not exist yet (and dropped).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { openConversationDatabase } from '../../services/conversation/database';
import { queueEscalationCommand } from '../../services/conversation/escalation/escalation-commands';
import { EscalationDispatcher } from '../../services/conversation/escalation/escalation-dispatcher';
import { EscalationSettingsService } from '../../services/conversation/escalation/escalation-settings.service';
import { EscalationStepsService } from '../../services/conversation/escalation/escalation-steps.service';
import { createLogger } from '../../services/shared/logger';
import { escalationWorkflowId } from '../../workflows/escalation-contract';
import { ThrowawayDatabase, createThrowawayDatabase } from '../helpers/database';
import { eventually } from '../helpers/eventually';
import { TestTemporal, startTestTemporal } from '../helpers/temporal';

jest.setTimeout(120_000);

let database: ThrowawayDatabase;
let db: DataSource;
let temporalServer: TestTemporal;
let connection: Connection;
let temporal: Client;

beforeAll(async () => {
  [database, temporalServer] = await Promise.all([createThrowawayDatabase('loopdesk_it_dispatch_order'), startTestTemporal()]);
  db = await openConversationDatabase(database.url);
  connection = await Connection.connect({ address: temporalServer.address });
  temporal = new Client({ connection });
});

afterAll(async () => {
  await connection?.close();
  await db?.destroy();
  await temporalServer?.stop();
  await database?.drop();
});

/** A dispatcher that is not started: each test calls dispatchPending itself. */
function dispatcher(client: () => Promise<Client>, taskQueue: string): EscalationDispatcher {
  const settings = new EscalationSettingsService(db, { firstResponseMs: 3_600_000, resolutionMs: 7_200_000, reminderBeforeMs: 600_000, reopenWindowMs: 3_600_000 });
  return new EscalationDispatcher(db, client, taskQueue, settings, new EscalationStepsService(db), createLogger('test', 'silent'));
}

const pending = async (conversationId: string) =>
  (await db.query(`SELECT kind FROM conversation.escalation_commands WHERE conversation_id = $1 AND dispatched_at IS NULL ORDER BY id`, [conversationId])).map((row: { kind: string }) => row.kind);

it("a second dispatcher leaves a conversation alone while the first is sending its hand-off, so the claim arrives after it", async () => {
  const workspaceId = randomUUID();
  const [row] = await db.query(`INSERT INTO conversation.conversations (workspace_id, status, topic) VALUES ($1, 'handed_off', 'exports') RETURNING id`, [workspaceId]);
  const conversationId = row.id as string;
  const taskQueue = `dispatch-order-${randomUUID()}`;
  await db.transaction((tx) => queueEscalationCommand(tx, { workspaceId, conversationId, kind: 'hand_off', payload: { aiMessageId: randomUUID(), reason: 'no_knowledge' } }));

  // The first dispatcher's Temporal takes its time with the start (the real client, held at a gate).
  let entered = false;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const held = new Proxy(temporal.workflow, {
    get: (target, name, receiver) =>
      name === 'signalWithStart'
        ? async (...args: Parameters<Client['workflow']['signalWithStart']>) => {
            entered = true;
            await gate;
            return target.signalWithStart(...args);
          }
        : Reflect.get(target, name, receiver),
  });
  const slowClient = Object.assign(Object.create(temporal) as Client, { workflow: held });
  const first = dispatcher(async () => slowClient, taskQueue).dispatchPending();
  await eventually(() => entered, Boolean);

  // An agent claims the conversation meanwhile; another replica's pass runs.
  await db.transaction((tx) => queueEscalationCommand(tx, { workspaceId, conversationId, kind: 'claim', payload: { agent: 'key:agent-1' } }));
  const second = dispatcher(async () => temporal, taskQueue);
  expect(await second.dispatchPending()).toBe(0);
  expect(await pending(conversationId)).toEqual(['hand_off', 'claim']);

  open();
  expect(await first).toBe(1);
  expect(await pending(conversationId)).toEqual(['claim']);
  expect(await second.dispatchPending()).toBe(1);
  expect(await pending(conversationId)).toEqual([]);

  // The workflow heard the hand-off, then the claim.
  const history = await temporal.workflow.getHandle(escalationWorkflowId(conversationId)).fetchHistory();
  const signals = (history.events ?? []).flatMap((event) => (event.workflowExecutionSignaledEventAttributes?.signalName ? [event.workflowExecutionSignaledEventAttributes.signalName] : []));
  expect(signals).toEqual(['handOff', 'claim']);
  await temporal.workflow.getHandle(escalationWorkflowId(conversationId)).terminate('test over');
});
