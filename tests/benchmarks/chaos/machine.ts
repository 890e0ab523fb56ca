/**
 * What else the machine was doing during a benchmark (Linux /proc): CPU used by this process and everything it
 * started (the stack, Postgres, Temporal) against CPU used by every other process, grouped by command, so a
 * result can say what it competed with on a small shared machine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { readStat } from '../process-cpu';

interface ProcessSample {
  ppid: number;
  command: string;
  cpuSeconds: number;
}

function sampleProcesses(): Map<number, ProcessSample> {
  const samples = new Map<number, ProcessSample>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readStat(entry);
      if (!stat) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      // "/usr/bin/node /work/x/dist/gateway/index.js" → "node x/dist/gateway/index.js": what it is, and whose.
      const command =
        args.length > 0
          ? args
              .slice(0, 3)
              .map((arg, i) => (i === 0 ? arg.replace(/^.*\//, '') : arg.replace(/^\/work\//, '').replace(/node_modules\/(\.bin\/)?/, '')))
              .join(' ')
              .slice(0, 90)
          : stat.comm;
      samples.set(Number(entry), { ppid: stat.ppid, command, cpuSeconds: stat.cpuSeconds });
    } catch {
      // The process ended while being read.
    }
  }
  return samples;
}

function isOurs(pid: number, samples: Map<number, ProcessSample>): boolean {
  for (let current = pid, hops = 0; current > 1 && hops < 50; hops++) {
    if (current === process.pid) return true;
    current = samples.get(current)?.ppid ?? 0;
  }
  return false;
}

export interface MachineUse {
  wallSeconds: number;
  cores: number;
  /** CPU cores busy on average: this benchmark and its children, and everything else. */
  benchmarkCores: number;
  otherCores: number;
  /** The busiest other commands, cores on average over the run. */
  otherCommands: Array<{ command: string; cores: number }>;
}

/** Samples every `everyMs`; a process's growth between samples counts for it. */
export function trackMachine(cores: number, everyMs = 2_000): { stop(): MachineUse } {
  const started = Date.now();
  let last = sampleProcesses();
  let ours = 0;
  const others = new Map<string, number>();
  const sample = () => {
    const now = sampleProcesses();
    for (const [pid, current] of now) {
      const before = last.get(pid);
      const grew = Math.max(0, before && before.command === current.command ? current.cpuSeconds - before.cpuSeconds : 0);
      if (grew === 0) continue;
      if (isOurs(pid, now)) ours += grew;
      else others.set(current.command, (others.get(current.command) ?? 0) + grew);
    }
    last = now;
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const wallSeconds = (Date.now() - started) / 1000;
      const cores2 = (seconds: number) => Math.round((seconds / wallSeconds) * 100) / 100;
      const otherTotal = [...others.values()].reduce((sum, seconds) => sum + seconds, 0);
      return {
        wallSeconds: Math.round(wallSeconds),
        cores,
        benchmarkCores: cores2(ours),
        otherCores: cores2(otherTotal),
        otherCommands: [...others.entries()]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 8)
          .map(([command, seconds]) => ({ command, cores: cores2(seconds) }))
          .filter((entry) => entry.cores >= 0.01),
      };
    },
  };
}
