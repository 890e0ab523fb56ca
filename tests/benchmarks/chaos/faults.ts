/**
 * The faults of the chaos benchmark, all SIGKILL (no shutdown code runs): a stack process, which the stack's
 * supervisor restarts by itself; the Temporal dev server and embedded Postgres, which the benchmark starts again
 * at once on the same data (as a supervisor or Kubernetes would), so only the crash and the restart are tested.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive, postmasterPid } from '../../../deploy/local/embedded-postgres';
import type { StackProcessName } from '../../../deploy/local/stack';
import type { TestStack } from '../../helpers/stack';
import { RunningPostgres, runEmbeddedPostgres } from '../../helpers/test-postgres';

export type FaultTarget = StackProcessName | 'temporal' | 'postgres';

/** An embedded Postgres that can be killed with SIGKILL and started again on the same directory and port. */
export class CrashablePostgres {
  private running: RunningPostgres | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly port: number,
    private readonly flags: readonly string[],
  ) {}

  get serverUrl(): string {
    if (!this.running) throw new Error('Postgres is not running');
    return this.running.serverUrl;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        this.running = await runEmbeddedPostgres(this.dataDir, this.port, this.flags);
        return;
      } catch (error) {
        // Backends of a killed postmaster can hold its shared memory for a moment; try again until they are gone.
        if (Date.now() > deadline) throw error;
        await sleep(200);
      }
    }
  }

  /** SIGKILL to the postmaster; its backends notice and exit. The runner that started it is let go. */
  async crash(): Promise<void> {
    const pid = postmasterPid(this.dataDir);
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(20);
    await this.running?.stop();
    this.running = undefined;
  }

  async stop(): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
  }
}

export interface FaultTimes {
  /** Epoch ms of the SIGKILL. */
  killedAt: number;
  /** Epoch ms when the killed part served again: its /ready answered 200, or the restarted server accepted connections. */
  backAt: number | null;
}

const readyStatus = (env: TestStack, name: StackProcessName) =>
  fetch(`http://127.0.0.1:${env.stack.ports[name]}/ready`, { signal: AbortSignal.timeout(2_000) }).then(
    (response) => response.status,
    () => 0,
  );

/** Kills `target` with SIGKILL and waits (up to `timeoutMs`) until it is back. */
export async function injectFault(env: TestStack, postgres: CrashablePostgres, target: FaultTarget, timeoutMs: number): Promise<FaultTimes> {
  if (target === 'temporal') {
    const killedAt = Date.now();
    await env.temporal.crash();
    await env.temporal.recover();
    return { killedAt, backAt: Date.now() };
  }
  if (target === 'postgres') {
    const killedAt = Date.now();
    await postgres.crash();
    await postgres.start();
    return { killedAt, backAt: Date.now() };
  }
  const killed = env.stack.processes.get(target);
  if (!killed?.pid) throw new Error(`${target} is not running`);
  const killedAt = Date.now();
  process.kill(killed.pid, 'SIGKILL');
  const deadline = killedAt + timeoutMs;
  while (Date.now() < deadline) {
    if (env.stack.processes.get(target) !== killed && (await readyStatus(env, target)) === 200) return { killedAt, backAt: Date.now() };
    await sleep(50);
  }
  return { killedAt, backAt: null };
}
