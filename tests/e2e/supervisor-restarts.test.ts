/**
 * The local supervisor (deploy/local/stack.ts, used by `npm start`) restarts a child that dies on its own:
 * real processes killed with SIGKILL, brought back and answering /ready; one that keeps dying is left down
 * with a message saying so.
 */
import { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StackProcessName } from '../../deploy/local/stack';
import { TestStack, startTestStack } from '../helpers/stack';

let env: TestStack;
const gaveUp: Array<{ name: StackProcessName; message: string }> = [];

beforeAll(async () => {
  // Two restarts allowed per minute, so that giving up is reached in a test; a short backoff keeps it quick.
  env = await startTestStack({}, { restart: { maxRestarts: 2, windowMs: 60_000, initialBackoffMs: 100 }, onGiveUp: (name, message) => gaveUp.push({ name, message }) });
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

async function until<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await sleep(100);
  }
}

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
  await sleep(1_000);
  expect(await readyStatus('insights')).toBe(0);
  expect(env.stack.restarts.insights).toBe(2);

  // Started by hand, it runs again.
  await env.stack.startProcess('insights');
  expect(await readyStatus('insights')).toBe(200);
});
