import { formatNumber as number, formatTable, keyValues, MachineInfo, machineLine, writeJsonReport } from '@niryat/testing';
import type { VariantRun } from './variant-runner';

export interface Environment extends MachineInfo {
  kafka: string;
  postgres: string;
}

export interface BenchReport {
  benchmark: 'exports partner-order consumer: topic to committed exports';
  startedAt: string;
  finishedAt: string;
  environment: Environment;
  parameters: Record<string, unknown>;
  workload: Record<string, unknown>;
  results: (VariantRun & { timesNaive?: number })[];
  notes: string[];
}

const DESCRIPTION: Record<string, string> = {
  ceiling: 'kafkajs eachBatch, no processing',
  batch: 'exports service (BatchConsumer)',
  naive: '@EventPattern + TypeORM save',
};

/** The side-by-side table, the machine and the parameters, as printed at the end of a run. */
export function formatReport(report: BenchReport): string {
  const naive = report.results.find((r) => r.variant === 'naive' && r.ok)?.eventsPerSecond;
  const rows = report.results.map((r) => {
    const times = naive && r.eventsPerSecond ? `${(r.eventsPerSecond / naive).toFixed(1)}×` : '-';
    return [
      r.variant,
      DESCRIPTION[r.variant],
      number(r.events),
      number(r.joinSeconds, 2),
      number(r.seconds, 2),
      number(r.eventsPerSecond),
      times,
      r.ok ? `ok: ${r.check}` : `FAILED: ${r.problems.join('; ')}`,
    ];
  });
  const header = ['variant', 'what', 'events', 'join s', 'seconds', 'events/s', '× naive', 'check'];
  const env = report.environment;
  const out = [
    '',
    `Exports consumer throughput: partner events from a pre-filled topic to committed exports (${report.startedAt})`,
    '',
    ...formatTable(header, rows, (i) => i >= 2 && i <= 6, { rule: true }),
    '',
    `machine     ${machineLine(env)}`,
    `software    Kafka ${env.kafka}, PostgreSQL ${env.postgres}`,
    `parameters  ${keyValues(report.parameters)}`,
    `workload    ${keyValues(report.workload)}`,
    ...resourcesTable(report),
    ...report.results.filter((r) => r.relayDrainedSeconds !== undefined).map((r) => `relay       ${r.variant}: outbox fully published ${r.relayDrainedSeconds} s after the last export (not in its time)`),
    ...report.notes.map((n, i) => `${i === 0 ? 'notes      ' : '           '} - ${n}`),
    ...report.results.flatMap(profileLines),
    '',
  ];
  return out.join('\n');
}

/** Where each variant's time went between its group join and the end of its work. */
function resourcesTable(report: BenchReport): string[] {
  const measured = report.results.filter((r) => r.resources && r.seconds);
  if (measured.length === 0) return [];
  const header = ['cpu in window', 'consumer CPU s', 'event loop busy', 'Postgres CPU s', 'Kafka CPU s', 'host busy (all cores)'];
  const percent = (share?: number) => (share === undefined ? '-' : `${Math.round(share * 100)}%`);
  const rows = measured.map((r) => {
    const u = r.resources ?? {};
    return [r.variant, number(u.consumerCpuSeconds, 2), percent(u.eventLoopBusy), number(u.postgresCpuSeconds, 2), number(u.kafkaCpuSeconds, 2), percent(u.hostBusy)];
  });
  return ['', ...formatTable(header, rows, (i) => i > 0), ''];
}

function profileLines(run: VariantRun): string[] {
  const lines: string[] = [];
  if (run.queries?.length) {
    lines.push('', `${run.variant}: SQL round trips by total time (profiled run)`);
    for (const q of run.queries.slice(0, 12)) lines.push(`  ${String(q.ms).padStart(7)} ms  ${String(q.calls).padStart(7)} ×  ${q.statement}`);
  }
  if (run.cpuProfile) {
    lines.push('', `${run.variant}: CPU self time by area, of ${run.cpuProfile.totalMs} ms sampled (${run.cpuProfile.file})`);
    for (const a of run.cpuProfile.byArea) lines.push(`  ${String(a.ms).padStart(7)} ms  ${String(a.share).padStart(5)}%  ${a.area}`);
    lines.push(`${run.variant}: inclusive CPU of parts of the path (share of busy time; parts overlap)`);
    for (const c of run.cpuProfile.components) lines.push(`  ${String(c.ms).padStart(7)} ms  ${String(c.share).padStart(5)}%  ${c.component}`);
    lines.push(`${run.variant}: hottest functions (self time)`);
    for (const f of run.cpuProfile.topFunctions.slice(0, 10)) lines.push(`  ${String(f.ms).padStart(7)} ms  ${String(f.share).padStart(5)}%  ${f.fn} [${f.area}]`);
  }
  return lines;
}

export function writeReport(path: string, report: BenchReport): void {
  writeJsonReport(path, report);
}
