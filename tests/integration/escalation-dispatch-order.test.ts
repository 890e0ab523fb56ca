/**
 * Two dispatchers (two conversation replicas) on one real Postgres and a real Temporal dev server: while one is
 * sending a conversation's hand-off, the other leaves that conversation's later commands alone, so a claim queued
 * meanwhile reaches the workflow after the hand-off started it, instead of being signalled to a workflow that did
 * not exist yet (and dropped).
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { queueEscalationCommand } from '../../services/conversation/escalation/escalation-commands';
import { escalationWorkflowId } from '../../workflows/escalation-contract';
import { DispatchFixture, handedOffConversation, openDispatchFixture, queueHandOff, testDispatcher } from '../helpers/escalation-dispatch';
import { eventually } from '../helpers/eventually';

jest.setTimeout(120_000);

let fixture: DispatchFixture;
let db: DataSource;
let temporal: Client;

beforeAll(async () => {
  fixture = await openDispatchFixture('loopdesk_it_dispatch_order');
  ({ db, temporal } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

/** A dispatcher that is not started: each test calls dispatchPending itself. */
const dispatcher = (client: () => Promise<Client>, taskQueue: string) => testDispatcher(db, client, taskQueue);

const pending = async (conversationId: string) =>
  (await db.query(`SELECT kind FROM conversation.escalation_commands WHERE conversation_id = $1 AND dispatched_at IS NULL ORDER BY id`, [conversationId])).map((row: { kind: string }) => row.kind);

it("a second dispatcher leaves a conversation alone while the first is sending its hand-off, so the claim arrives after it", async () => {
  const workspaceId = randomUUID();
  const conversationId = await handedOffConversation(db, workspaceId);
  const taskQueue = `dispatch-order-${randomUUID()}`;
  await db.transaction((tx) => queueHandOff(tx, workspaceId, conversationId));

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
