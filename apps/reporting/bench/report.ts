import { formatNumber as number, formatTable, keyValues, MachineInfo, machineLine, PacingStats, writeJsonReport } from '@niryat/testing';
import { TARGET } from './options';
import type { Probe } from './pacer';
import type { PollingStats } from './probe-watcher';

export interface LatencySummary {
  /** Probes due in the measured window. */
  probes: number;
  /** Of those, found in the totals. */
  seen: number;
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  /** Probes that took longer than the target (or were never seen). */
  overTarget: number;
  /**
   * Every measured probe in send order: ms since the first one was sent, and its latency in ms
   * (null if never seen). In the JSON report only, to line a burst of slow probes up with a trace.
   */
  series: [number, number | null][];
}

/** Where the measured window's CPU went: the service, Postgres, the broker, the bench itself, the machine. */
export interface WindowResources {
  seconds: number;
  reportingCpuSeconds?: number;
  postgresCpuSeconds?: number;
  kafkaCpuSeconds?: number;
  benchCpuSeconds?: number;
  hostBusy?: number;
}

export interface RateRun {
  rate: number;
  ok: boolean;
  problems: string[];
  /** What the end-of-run check compared and found equal. */
  check: string;
  pacing?: PacingStats;
  latency?: LatencySummary;
  polling?: PollingStats;
  /** Events on the topic not yet in the totals when producing stopped, and at worst during the window (sampled each second). */
  lagAtEnd?: number;
  maxLag?: number;
  /** From the last event produced to every event applied. */
  caughtUpSeconds?: number;
  resources?: WindowResources;
  facts?: Record<string, unknown>;
}

export interface FreshnessReport {
  benchmark: 'reporting freshness: ExportRecorded to export totals';
  startedAt: string;
  finishedAt: string;
  environment: MachineInfo & { kafka: string; postgres: string };
  parameters: Record<string, unknown>;
  results: RateRun[];
  verdict: string;
  notes: string[];
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summarizeLatency(probes: readonly Probe[]): LatencySummary {
  const measured = probes.filter((p) => p.measured);
  const latencies = measured
    .filter((p) => p.visibleAt !== undefined && p.sentAt !== undefined)
    .map((p) => (p.visibleAt as number) - (p.sentAt as number))
    .sort((a, b) => a - b);
  const ms = (n: number | undefined) => (n === undefined ? undefined : Math.round(n));
  return {
    probes: measured.length,
    seen: latencies.length,
    p50Ms: ms(percentile(latencies, 50)),
    p95Ms: ms(percentile(latencies, 95)),
    p99Ms: ms(percentile(latencies, 99)),
    maxMs: ms(latencies[latencies.length - 1]),
    overTarget: measured.length - latencies.filter((l) => l <= TARGET.latencyMs).length,
    series: seriesOf(measured),
  };
}

function seriesOf(measured: readonly Probe[]): [number, number | null][] {
  const sent = measured.filter((p) => p.sentAt !== undefined).sort((a, b) => (a.sentAt as number) - (b.sentAt as number));
  const first = sent[0]?.sentAt ?? 0;
  return sent.map((p) => [
    Math.round((p.sentAt as number) - first),
    p.visibleAt === undefined ? null : Math.round(p.visibleAt - (p.sentAt as number)),
  ]);
}

/** The requirement, answered for the target rate in one line. */
export function verdictOf(results: readonly RateRun[]): string {
  const rate = TARGET.eventsPerSecond;
  const run = results.find((r) => r.rate === rate);
  const target = `every shipped order in the totals within ${TARGET.latencyMs / 1000} s at a steady ${number(rate)} events/s`;
  if (!run) return `verdict: no run at ${number(rate)} events/s (--rates), so no verdict on "${target}"`;
  if (!run.ok || !run.latency || !run.pacing) return `verdict: the ${number(rate)} events/s run failed, so no verdict on "${target}"`;
  const { latency, pacing } = run;
  const steady = pacing.achievedPerSecond >= rate * 0.98;
  const figures = `p50 ${number(latency.p50Ms)} ms, p99 ${number(latency.p99Ms)} ms, max ${number(latency.maxMs)} ms over ${number(latency.probes)} probes; achieved ${number(pacing.achievedPerSecond)} events/s`;
  if (!steady) return `verdict: the producer reached only ${number(pacing.achievedPerSecond)} of ${number(rate)} events/s, so the run does not test "${target}" (${figures})`;
  if (latency.overTarget === 0) return `verdict: MET — ${target}: every probe within ${number(TARGET.latencyMs)} ms (${figures})`;
  return `verdict: NOT MET — ${target}: ${number(latency.overTarget)} of ${number(latency.probes)} probes took longer than ${number(TARGET.latencyMs)} ms (${figures})`;
}

const cores = (cpuSeconds: number | undefined, seconds: number) =>
  cpuSeconds === undefined ? '-' : `${number(cpuSeconds, 1)} (${number(cpuSeconds / Math.max(seconds, 0.001), 2)})`;

/** The side-by-side tables, the verdict, the machine and the parameters, as printed at the end of a run. */
export function formatReport(report: FreshnessReport): string {
  const latencyRows = report.results.map((r) => [
    number(r.rate),
    number(r.pacing?.achievedPerSecond),
    number(r.latency?.probes),
    number(r.latency?.p50Ms),
    number(r.latency?.p95Ms),
    number(r.latency?.p99Ms),
    number(r.latency?.maxMs),
    number(r.latency?.overTarget),
    number(r.lagAtEnd),
    number(r.maxLag),
    number(r.caughtUpSeconds, 1),
    r.ok ? `ok: ${r.check}` : `FAILED: ${r.problems.join('; ')}`,
  ]);
  const resourceRows = report.results
    .filter((r) => r.resources)
    .map((r) => {
      const u = r.resources as WindowResources;
      return [
        number(r.rate),
        cores(u.reportingCpuSeconds, u.seconds),
        cores(u.postgresCpuSeconds, u.seconds),
        cores(u.kafkaCpuSeconds, u.seconds),
        cores(u.benchCpuSeconds, u.seconds),
        u.hostBusy === undefined ? '-' : `${Math.round(u.hostBusy * 100)}%`,
        r.polling ? `${number(r.polling.gapP50Ms, 1)} / ${number(r.polling.gapMaxMs)}` : '-',
        number(r.pacing?.largestSend),
        number(r.pacing?.maxBehindMs),
      ];
    });
  const env = report.environment;
  return [
    '',
    `Reporting freshness: ExportRecorded produced at a steady rate → in the export totals (${report.parameters.observe === 'api' ? 'GET /v1/reports/exports' : 'export_totals in Postgres'}), ${report.startedAt}`,
    '',
    ...formatTable(
      ['events/s', 'achieved/s', 'probes', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', `> ${TARGET.latencyMs / 1000} s`, 'lag at end', 'max lag', 'catch-up s', 'check'],
      latencyRows,
      (i) => i <= 10,
      { rule: true },
    ),
    '',
    report.verdict,
    '',
    'measured window: CPU seconds (cores busy on average), the poll interval achieved, and the pacing',
    ...formatTable(
      ['events/s', 'reporting CPU', 'Postgres CPU', 'Kafka CPU', 'bench CPU', 'host busy', 'poll p50/max ms', 'largest send', 'max behind ms'],
      resourceRows,
      () => true,
    ),
    '',
    `machine     ${machineLine(env)}`,
    `software    Kafka ${env.kafka}, PostgreSQL ${env.postgres}`,
    `parameters  ${keyValues(report.parameters)}`,
    ...report.notes.map((n, i) => `${i === 0 ? 'notes      ' : '           '} - ${n}`),
    '',
  ].join('\n');
}

export function writeReport(path: string, report: FreshnessReport): void {
  writeJsonReport(path, report);
}
