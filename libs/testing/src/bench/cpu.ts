import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * CPU accounting from /proc (Linux; elsewhere every figure is simply absent): how busy the whole
 * machine was during a variant's window, and how much CPU Postgres and the Kafka broker spent, so
 * the report says which process a variant's time went to.
 */

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture Node runs on

export interface HostCpu {
  busy: number;
  total: number;
}

export function hostCpu(): HostCpu | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Share of all cores' time that was busy between two readings (any process, ours or not). */
export function busyShare(from?: HostCpu, to?: HostCpu): number | undefined {
  if (!from || !to || to.total === from.total) return undefined;
  return Math.round(((to.busy - from.busy) / (to.total - from.total)) * 1000) / 1000;
}

function statOf(pid: number): { ppid: number; cpu: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after "pid (comm) ": state ppid … utime(14th field overall) stime(15th)
    return { ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** CPU seconds so far of each of `pids` (gone processes are left out). */
export function cpuOf(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const stat = statOf(pid);
    if (stat) out.set(pid, stat.cpu);
  }
  return out;
}

/** A process and all its children (Postgres: the postmaster, its backends and background workers). */
export function processTree(root: number): number[] {
  if (!existsSync(`/proc/${root}`)) return [];
  const pids = [root];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (statOf(pid)?.ppid === root) pids.push(pid);
  }
  return pids;
}

/** CPU seconds spent between two readings; processes born in between count from zero. */
export function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let spent = 0;
  for (const [pid, cpu] of after) spent += cpu - (before.get(pid) ?? 0);
  return Math.round(spent * 100) / 100;
}
