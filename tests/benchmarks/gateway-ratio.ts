/**
 * What the gateway costs a request: the same one-field query (`workspace { id }`, owned by account-context, as an
 * admin may send it) sent through the gateway with an admin key, and straight to account-context with a signed
 * request context, the header the gateway itself would add. Both at the same concurrency, for the same number of
 * requests after a warm-up, in alternating rounds so that a noisy neighbour on the machine weighs on both sides.
 * The ratio is gateway throughput over direct throughput: 1 would mean the gateway costs nothing.
 *
 *   npm run bench:gateway [-- --requests 4000] [--concurrency 16] [--rounds 2]
 *
 * Standalone, it starts the stack as the tests do, but with the gateway's default key-verdict cache (the tests
 * verify every request), prints the figures and writes tests/benchmarks/results/gateway-ratio.json. Another
 * benchmark may call measureGatewayRatio on a stack it started; it should cache verdicts too, or the gateway
 * side also pays a call to account-context per request.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { CONTEXT_HEADER, REQUEST_ID_HEADER, signContext } from '../../services/shared/request-context';
import { REPO_ROOT } from '../helpers/repo-root';
import { TestStack, startTestStack } from '../helpers/stack';
import { distribution, mapConcurrent, runIfScript } from './bench-support';
import { readStat } from './process-cpu';

const QUERY = '{ workspace { id } }';

export interface GatewayRatioOptions {
  /** Measured requests per side and round, after the warm-up. */
  requests?: number;
  concurrency?: number;
  warmup?: number;
  /** Rounds of direct-then-gateway and gateway-then-direct, added up. */
  rounds?: number;
}

export interface Throughput {
  requests: number;
  rps: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  /**
   * CPU milliseconds per request in the gateway and account-context processes (Linux /proc; 0 elsewhere) and in
   * this process, the client sending the requests.
   */
  cpuMsPerRequest: { gateway: number; accountContext: number; client: number };
}

export interface GatewayRatio {
  query: string;
  concurrency: number;
  gateway: Throughput;
  direct: Throughput;
  /** gateway.rps / direct.rps */
  ratio: number;
  /**
   * The ratio the CPU figures predict when the machine's cores are the limit: the direct side's CPU per request
   * (account-context and client) over the gateway side's (gateway, account-context and client). Postgres is left
   * out (the same on both sides). Steadier than `ratio` on a machine shared with other work.
   */
  cpuRatio: number;
}

type Send = () => Promise<void>;

/** utime + stime of a process in milliseconds (0 where there is none). */
const cpuMs = (pid: number | undefined) => (pid === undefined ? 0 : (readStat(pid)?.cpuSeconds ?? 0) * 1000);

/** `requests` calls of `send`, `concurrency` at a time; every call must succeed. */
async function drive(send: Send, requests: number, concurrency: number): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  await mapConcurrent(Array.from({ length: requests }), concurrency, async () => {
    const sent = performance.now();
    await send();
    latencies.push(performance.now() - sent);
  });
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

async function post(url: string, headers: Record<string, string>): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: QUERY }) });
  const body = (await response.json()) as { data?: { workspace?: { id?: string } }; errors?: unknown[] };
  if (!response.ok || body.errors || !body.data?.workspace?.id) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body)}`);
}

export async function measureGatewayRatio(env: TestStack, options: GatewayRatioOptions = {}): Promise<GatewayRatio> {
  const { requests = 4_000, concurrency = 16, warmup = 500, rounds = 2 } = options;
  const sides: Record<'gateway' | 'direct', Send> = {
    gateway: () => post(env.gatewayUrl, { authorization: `Bearer ${env.adminKey}` }),
    direct: () => {
      const requestId = `bench-${Math.random().toString(36).slice(2)}`;
      const context = signContext({ workspaceId: env.workspaceId, role: 'admin', subject: 'bench:gateway-ratio', requestId }, env.hmacSecret);
      return post(env.stack.urls['account-context'], { [CONTEXT_HEADER]: context, [REQUEST_ID_HEADER]: requestId });
    },
  };
  const pids = { gateway: env.stack.processes.get('gateway')?.pid, accountContext: env.stack.processes.get('account-context')?.pid };
  const fresh = () => ({ latencies: [] as number[], seconds: 0, cpu: { gateway: 0, accountContext: 0, client: 0 } });
  const clientMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const measured = { gateway: fresh(), direct: fresh() };
  for (const side of ['direct', 'gateway'] as const) await drive(sides[side], warmup, concurrency);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (['direct', 'gateway'] as const) : (['gateway', 'direct'] as const);
    for (const side of order) {
      const before = { gateway: cpuMs(pids.gateway), accountContext: cpuMs(pids.accountContext), client: clientMs() };
      const run = await drive(sides[side], requests, concurrency);
      measured[side].cpu.gateway += cpuMs(pids.gateway) - before.gateway;
      measured[side].cpu.accountContext += cpuMs(pids.accountContext) - before.accountContext;
      measured[side].cpu.client += clientMs() - before.client;
      measured[side].latencies.push(...run.latencies);
      measured[side].seconds += run.seconds;
    }
  }
  const summary = (side: 'gateway' | 'direct'): Throughput => {
    const { latencies, seconds, cpu } = measured[side];
    const { p50, p99 } = distribution(latencies);
    const perRequest = (ms: number) => Math.round((ms / latencies.length) * 1000) / 1000;
    return {
      requests: latencies.length,
      rps: Math.round(latencies.length / seconds),
      p50,
      p99,
      cpuMsPerRequest: { gateway: perRequest(cpu.gateway), accountContext: perRequest(cpu.accountContext), client: perRequest(cpu.client) },
    };
  };
  const gateway = summary('gateway');
  const direct = summary('direct');
  const total = ({ gateway: g, accountContext, client }: Throughput['cpuMsPerRequest']) => g + accountContext + client;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    query: QUERY,
    concurrency,
    gateway,
    direct,
    ratio: round(gateway.rps / direct.rps),
    cpuRatio: round(total(direct.cpuMsPerRequest) / total(gateway.cpuMsPerRequest)),
  };
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      requests: { type: 'string', default: '4000' },
      concurrency: { type: 'string', default: '16' },
      rounds: { type: 'string', default: '2' },
    },
  });
  // The gateway's default verdict cache, as in production (the test stack verifies every request).
  const stackEnv = { AUTH_CACHE_TTL_MS: '30000' };
  const env = await startTestStack(stackEnv);
  try {
    const result = await measureGatewayRatio(env, { requests: Number(args.requests), concurrency: Number(args.concurrency), rounds: Number(args.rounds) });
    const report = {
      benchmark: 'gateway-ratio',
      at: new Date().toISOString(),
      setup: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', stackEnv, rounds: Number(args.rounds) },
      ...result,
    };
    console.log(`query ${result.query}, concurrency ${result.concurrency}`);
    for (const side of ['direct', 'gateway'] as const) {
      const t = result[side];
      const cpu = `CPU/request: gateway ${t.cpuMsPerRequest.gateway} ms, account-context ${t.cpuMsPerRequest.accountContext} ms, client ${t.cpuMsPerRequest.client} ms`;
      console.log(`${side.padEnd(8)} ${t.rps} req/s, p50 ${t.p50} ms, p99 ${t.p99} ms (n=${t.requests}); ${cpu}`);
    }
    console.log(`ratio gateway/direct: ${result.ratio} (throughput), ${result.cpuRatio} (predicted from CPU per request)`);
    const out = path.join(REPO_ROOT, 'tests', 'benchmarks', 'results', 'gateway-ratio.json');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`written to ${path.relative(REPO_ROOT, out)}`);
  } finally {
    await env.stop();
  }
}

runIfScript(module, main);
