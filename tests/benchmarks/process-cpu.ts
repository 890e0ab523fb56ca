/**
 * CPU time per process during a benchmark phase (Linux /proc): the stack's processes (children of the benchmark
 * process: gateway, subgraphs, worker, the Temporal dev server), the postgres backends of the benchmark's database,
 * every other postgres process on the machine (backends come and go, so the postgres sums are approximate), the
 * benchmark process itself, and the whole machine's busy time, which shows load from outside the stack.
 */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import type { TestStack } from '../helpers/stack';

const round1 = (x: number) => Math.round(x * 10) / 10;

const CLOCK_TICKS = 100;

function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const total = fields.slice(0, 8).reduce((s, x) => s + x, 0);
  return (total - fields[3]! - fields[4]!) / CLOCK_TICKS;
}

/** A process's name, parent and CPU seconds so far (utime + stime), from /proc/<pid>/stat; null once it has ended. */
export function readStat(pid: string | number): { comm: string; ppid: number; cpuSeconds: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // fields[0] is state (field 3); utime and stime are fields 14 and 15.
    return { comm, ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS };
  } catch {
    return null;
  }
}

/** pid → [group name, cumulative cpu seconds] of the processes worth naming. */
function processTimes(env: TestStack): Map<string, [string, number]> {
  const names = new Map<number, string>();
  for (const [name, child] of env.stack.processes) if (child.pid) names.set(child.pid, name);
  const database = new URL(env.databaseUrl).pathname.slice(1);
  const times = new Map<string, [string, number]>();
  const own = process.cpuUsage();
  times.set('self', ['benchmark (this process)', (own.user + own.system) / 1e6]);
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    const stat = readStat(pid);
    if (!stat) continue;
    if (stat.ppid === process.pid && stat.comm !== 'postgres') {
      times.set(pid, [names.get(Number(pid)) ?? (stat.comm === 'temporal' ? 'temporal dev server' : `child ${stat.comm}`), stat.cpuSeconds]);
    } else if (stat.comm === 'postgres') {
      // Backends show their database in the process title: "postgres: 15/main: postgres <database> <client> <state>".
      let title = '';
      try {
        title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      times.set(pid, [title.includes(` ${database} `) ? "postgres (this database's backends)" : 'postgres (server and other databases)', stat.cpuSeconds]);
    }
  }
  return times;
}

export interface CpuUse {
  wallSeconds: number;
  /** The whole machine (/proc/stat): shows load from outside the stack too. */
  machineCoresBusy: number;
  byProcess: Record<string, { cpuSeconds: number; coresBusy: number }>;
}

/**
 * Samples every second and adds up each process's growth between samples, so processes that start or end
 * during a phase (postgres backends) count for the time they were seen.
 */
export function trackCpu(env: TestStack): { stop(): CpuUse } {
  const started = performance.now();
  const machineAtStart = machineBusySeconds();
  let last = processTimes(env);
  const totals: Record<string, number> = {};
  const sample = () => {
    const now = processTimes(env);
    for (const [pid, [name, seconds]] of now) {
      const before = last.get(pid);
      const grew = before && before[0] === name ? seconds - before[1] : before ? 0 : seconds;
      totals[name] = (totals[name] ?? 0) + Math.max(0, grew);
    }
    last = now;
  };
  const timer = setInterval(sample, 1000);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const wallSeconds = (performance.now() - started) / 1000;
      const byProcess: CpuUse['byProcess'] = {};
      for (const [name, cpuSeconds] of Object.entries(totals)) byProcess[name] = { cpuSeconds: round1(cpuSeconds), coresBusy: Math.round((cpuSeconds / wallSeconds) * 100) / 100 };
      return { wallSeconds: round1(wallSeconds), machineCoresBusy: Math.round(((machineBusySeconds() - machineAtStart) / wallSeconds) * 100) / 100, byProcess };
    },
  };
}

export function printCpu(label: string, cpu: CpuUse): void {
  const entries = Object.entries(cpu.byProcess).sort((a, b) => b[1].cpuSeconds - a[1].cpuSeconds);
  const total = entries.reduce((s, [, v]) => s + v.cpuSeconds, 0);
  console.log(
    `  cpu during ${label} (${cpu.wallSeconds} s wall): listed processes ${(total / cpu.wallSeconds).toFixed(2)} cores, whole machine ${cpu.machineCoresBusy.toFixed(2)} of ${os.cpus().length} cores busy:`,
  );
  console.log(`    ${entries.map(([name, v]) => `${name} ${v.coresBusy.toFixed(2)}`).join(', ')}`);
}
