/**
 * The local supervisor (deploy/local/stack.ts, used by `npm start`) restarts a child that dies on its own:
 * real processes killed with SIGKILL, brought back and answering /ready; one that keeps dying is left down
 * with a message saying so.
 */
import { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StackProcessName } from '../../deploy/local/stack';
import { eventually } from '../helpers/eventually';
import { TestStack, startTestStack } from '../helpers/stack';

let env: TestStack;
const gaveUp: Array<{ name: StackProcessName; message: string }> = [];

// Two restarts allowed per minute, so that giving up is reached in a test; a short backoff keeps it quick.
const RESTART_POLICY = { maxRestarts: 2, windowMs: 60_000, initialBackoffMs: 100 };

beforeAll(async () => {
  env = await startTestStack({}, { restart: RESTART_POLICY, onGiveUp: (name, message) => gaveUp.push({ name, message }) });
});

afterAll(async () => {
  await env?.stop();
});

const readyStatus = (name: StackProcessName) =>
  fetch(`http://127.0.0.1:${env.stack.ports[name]}/ready`, { signal: AbortSignal.timeout(2_000) }).then(
    (response) => response.status,
    () => 0,
  );

async function killAndAwaitExit(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(child.pid!, 'SIGKILL');
  await exited;
}

const until = <T>(probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> => eventually(probe, done, timeoutMs, 100);

it('a subgraph killed with SIGKILL is started again and answers /ready', async () => {
  const killed = env.stack.processes.get('knowledge')!;
  await killAndAwaitExit(killed);
  expect(await readyStatus('knowledge')).toBe(0);

  const back = await until(() => env.stack.processes.get('knowledge'), (child) => child !== killed && child?.exitCode === null);
  expect(back).not.toBe(killed);
  expect(back!.pid).not.toBe(killed.pid);
  expect(await until(() => readyStatus('knowledge'), (status) => status === 200)).toBe(200);
  expect(env.stack.restarts.knowledge).toBe(1);
  // The gateway, which checks its subgraphs, is ready again too.
  expect(await until(() => readyStatus('gateway'), (status) => status === 200)).toBe(200);
  expect(gaveUp).toEqual([]);
});

it('a process that keeps crashing is left down after the allowed restarts, with a message naming it', async () => {
  for (let crash = 1; crash <= 3; crash += 1) {
    const child = await until(() => env.stack.processes.get('insights'), (c) => c?.exitCode === null && c.signalCode === null);
    if (crash <= 2) expect(await until(() => readyStatus('insights'), (status) => status === 200)).toBe(200);
    await killAndAwaitExit(child!);
  }
  await until(() => gaveUp.length, (n) => n > 0, 10_000);
  expect(gaveUp).toHaveLength(1);
  expect(gaveUp[0]!.name).toBe('insights');
  expect(gaveUp[0]!.message).toMatch(/insights crashed 3 times within 60 s; it is left down/);
  // Twice the backoff a further restart would have waited (the supervisor doubles it on every crash in the
  // window): had it been scheduled anyway, the process would have been spawned and counted by now.
  await sleep(2 * RESTART_POLICY.initialBackoffMs * 2 ** RESTART_POLICY.maxRestarts);
  expect(await readyStatus('insights')).toBe(0);
  expect(env.stack.restarts.insights).toBe(2);

  // Started by hand, it runs again.
  await env.stack.startProcess('insights');
  expect(await readyStatus('insights')).toBe(200);
});
