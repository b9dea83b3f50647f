import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname } from 'node:path';

/** The machine a benchmark ran on, printed with its figures: they mean little without it. */
export interface MachineInfo {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

/** Call at the start of a run; set `loadAverageAtEnd` from `loadavg()` when it is over. */
export function describeMachine(): MachineInfo {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${platform()} ${release()}`,
    loadAverageAtStart: loadavg(),
  };
}

/** `2 cores (model), 8 GiB, linux …, Node v20…; load average … at start, … at end`. */
export function machineLine(machine: MachineInfo): string {
  const load = (l: number[]) => l.map((n) => n.toFixed(2)).join(' ');
  return (
    `${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}; ` +
    `load average ${load(machine.loadAverageAtStart)} at start${machine.loadAverageAtEnd ? `, ${load(machine.loadAverageAtEnd)} at end` : ''}`
  );
}

/** A figure for a table: thousands separated, fixed decimals, '-' when there is none. */
export function formatNumber(n: number | undefined, digits = 0): string {
  return n === undefined ? '-' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * A plain-text table, columns as wide as their widest cell, two spaces apart; `rightAligned(i)`
 * for the columns of figures; with `rule`, a line of dashes under the header.
 */
export function formatTable(header: string[], rows: string[][], rightAligned: (column: number) => boolean, { rule = false } = {}): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (rightAligned(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...(rule ? [line(widths.map((w) => '-'.repeat(w)))] : []), ...rows.map(line)];
}

/** `key=value, …`, objects as JSON: parameters and workload lines under a table. */
export function keyValues(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

export function writeJsonReport(path: string, report: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
