import { readFileSync } from 'node:fs';
import { cpuOf } from '@niryat/testing';

/** Resident memory of a process now, in bytes (VmRSS), or undefined once it is gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface ServiceUsage {
  /** Peak resident memory of any one instance seen while sampling, MB. */
  peakRssMb?: number;
  /** CPU seconds of all its instances in the window. */
  cpuSeconds?: number;
}

/**
 * Samples the resident memory of named groups of processes every `everyMs` while a window is open
 * (the peak is what a container's memory limit must hold) and charges them the CPU they spent in it.
 * Pids are asked for at every sample: instances started in the window are counted too.
 */
export class ProcessSampler {
  private readonly peaks = new Map<string, number>();
  private readonly cpuStart = new Map<number, number>();
  private readonly cpuLast = new Map<number, number>();
  private readonly owner = new Map<number, string>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly groups: () => Record<string, number[]>,
    private readonly everyMs = 250,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  stop(): Record<string, ServiceUsage> {
    this.sample();
    clearInterval(this.timer);
    const out: Record<string, ServiceUsage> = {};
    const cpu = new Map<string, number>();
    for (const [pid, last] of this.cpuLast) {
      const name = this.owner.get(pid) as string;
      cpu.set(name, (cpu.get(name) ?? 0) + last - (this.cpuStart.get(pid) ?? last));
    }
    for (const name of new Set([...this.peaks.keys(), ...cpu.keys()])) {
      const peak = this.peaks.get(name);
      const seconds = cpu.get(name);
      out[name] = { peakRssMb: peak === undefined ? undefined : Math.round(peak / 2 ** 20), cpuSeconds: seconds === undefined ? undefined : Math.round(seconds * 10) / 10 };
    }
    return out;
  }

  private sample(): void {
    for (const [name, pids] of Object.entries(this.groups())) {
      for (const [pid, seconds] of cpuOf(pids)) {
        this.owner.set(pid, name);
        if (!this.cpuStart.has(pid)) this.cpuStart.set(pid, seconds);
        this.cpuLast.set(pid, seconds);
      }
      for (const pid of pids) {
        const rss = residentBytes(pid);
        if (rss !== undefined) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, rss));
      }
    }
  }
}
