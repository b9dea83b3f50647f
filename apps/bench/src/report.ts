import { formatNumber as n, formatTable, MachineInfo, machineLine, writeJsonReport } from '@niryat/testing';
import { writeFileSync } from 'node:fs';
import type { FreshnessResult } from './freshness';
import type { BenchOptions } from './options';
import type { ThroughputResult } from './pipeline';
import type { RebuildResult } from './rebuild';

export interface BenchReport {
  benchmark: string;
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  kafka: string;
  postgres: string;
  options: BenchOptions;
  throughput: ThroughputResult[];
  freshness: FreshnessResult[];
  rebuild?: RebuildResult;
  problems: string[];
}

/** The issue's targets for this 2-core machine, each with the figure that answers it. */
function targets(report: BenchReport): string[][] {
  const rate = (label: string) => report.throughput.find((r) => r.label === label && r.ok)?.eventsPerSecond;
  const [x1, naive, ceiling] = [rate('x1'), rate('naive'), rate('ceiling')];
  const at2000 = report.freshness.find((f) => f.rate === 2_000);
  const memory = report.throughput.find((r) => r.label === 'x1')?.usage ?? {};
  const services = ['onboarding', 'exports', 'training', 'reporting'].filter((s) => memory[s]?.peakRssMb !== undefined);
  const peak = Math.max(0, ...services.map((s) => memory[s].peakRssMb ?? 0));
  const verdict = (met: boolean | undefined) => (met === undefined ? 'not run' : met ? 'met' : 'MISSED');
  return [
    ['end to end ≥ 20,000 events/s', x1 === undefined ? '-' : `${n(x1)} events/s`, verdict(x1 === undefined ? undefined : x1 >= 20_000)],
    ['≥ 10× the naive chain', x1 && naive ? `${(x1 / naive).toFixed(1)}×` : '-', verdict(x1 && naive ? x1 / naive >= 10 : undefined)],
    ['≥ 50 % of the client ceiling', x1 && ceiling ? `${Math.round((x1 / ceiling) * 100)} %` : '-', verdict(x1 && ceiling ? x1 / ceiling >= 0.5 : undefined)],
    ['p99 < 1 s at 2,000 events/s', at2000?.p99 === undefined ? '-' : `${n(at2000.p99)} ms`, verdict(at2000?.p99 === undefined ? undefined : at2000.ok && at2000.p99 < 1_000)],
    ['rebuild ≥ 50,000 events/s', report.rebuild?.eventsPerSecond === undefined ? '-' : `${n(report.rebuild.eventsPerSecond)} events/s`, verdict(report.rebuild?.eventsPerSecond === undefined ? undefined : report.rebuild.eventsPerSecond >= 50_000)],
    ['each service < 300 MB resident', services.length ? `${peak} MB at most` : '-', verdict(services.length ? peak < 300 : undefined)],
  ];
}

function sections(report: BenchReport): { title: string; header: string[]; rows: string[][]; right: (i: number) => boolean }[] {
  const naive = report.throughput.find((r) => r.label === 'naive' && r.ok)?.eventsPerSecond;
  const ceiling = report.throughput.find((r) => r.label === 'ceiling' && r.ok)?.eventsPerSecond;
  const out = [];
  if (report.throughput.length > 0) {
    out.push({
      title: 'Throughput: the same partner records, consumer group joined → every export in the report totals',
      header: ['run', 'what', 'events', 'seconds', 'events/s', '× naive', '% of ceiling', 'host busy', 'check'],
      rows: report.throughput.map((r) => [
        r.label,
        r.what,
        n(r.events),
        n(r.seconds, 2),
        n(r.eventsPerSecond),
        naive && r.eventsPerSecond ? (r.eventsPerSecond / naive).toFixed(1) : '-',
        ceiling && r.eventsPerSecond ? `${Math.round((r.eventsPerSecond / ceiling) * 100)} %` : '-',
        r.hostBusy === undefined ? '-' : `${Math.round(r.hostBusy * 100)} %`,
        r.check,
      ]),
      right: (i: number) => i >= 2 && i <= 7,
    });
    const processes = ['onboarding', 'exports', 'training', 'reporting', 'naive-exports', 'naive-reporting', 'reader', 'postgres', 'kafka'];
    out.push({
      title: 'Memory and CPU in each timed window: peak resident MB of one instance / CPU seconds of all',
      header: ['run', ...processes.filter((p) => report.throughput.some((r) => r.usage[p]))],
      rows: report.throughput.map((r) => [
        r.label,
        ...processes.filter((p) => report.throughput.some((x) => x.usage[p])).map((p) => (r.usage[p] ? `${['postgres', 'kafka'].includes(p) ? '' : `${n(r.usage[p].peakRssMb)} MB / `}${n(r.usage[p].cpuSeconds, 1)} s` : '-')),
      ]),
      right: (i: number) => i > 0,
    });
  }
  if (report.freshness.length > 0) {
    out.push({
      title:
        'Freshness: partner event produced → its export in the report totals (polled every 10 ms); p50 stages: sent → exports began its transaction → ExportRecorded published → reporting began its transaction → seen',
      header: ['offered/s', 'achieved/s', 'probes', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', '> 1 s', 'catch-up s', 'p50 stages ms', 'exports CPU', 'reporting CPU', 'host busy', 'check'],
      rows: report.freshness.map((f) => [
        n(f.rate),
        n(f.achievedPerSecond),
        n(f.probes),
        n(f.p50),
        n(f.p95),
        n(f.p99),
        n(f.max),
        n(f.overOneSecond),
        n(f.catchUpSeconds, 1),
        f.stages ? [f.stages.toExports, f.stages.exportsToPublished, f.stages.publishedToReporting, f.stages.reportingToSeen].map((ms) => n(ms)).join(' / ') : '-',
        `${n(f.usage.exports?.cpuSeconds, 1)} s`,
        `${n(f.usage.reporting?.cpuSeconds, 1)} s`,
        f.hostBusy === undefined ? '-' : `${Math.round(f.hostBusy * 100)} %`,
        f.check,
      ]),
      right: (i: number) => i < 13,
    });
  }
  if (report.rebuild) {
    const r = report.rebuild;
    out.push({
      title: 'Rebuild: every reporting view from offset zero of the domain topics into a fresh schema, swapped in',
      header: ['records', 'seconds', 'events/s', 'rebuild CPU', 'check'],
      rows: [[n(r.records), n(r.seconds, 1), n(r.eventsPerSecond), `${n(r.usage.rebuild?.cpuSeconds, 1)} s`, r.check]],
      right: (i: number) => i < 4,
    });
  }
  out.push({ title: 'Targets (issue 15, on this 2-core machine)', header: ['target', 'figure', 'verdict'], rows: targets(report), right: () => false });
  return out;
}

function footer(report: BenchReport): string[] {
  const o = report.options;
  return [
    `machine     ${machineLine(report.machine)}`,
    `software    Kafka ${report.kafka} (KRaft, one broker), PostgreSQL ${report.postgres}, everything on this machine`,
    `workload    the simulator's world (seed ${o.seed}, ${o.sellers} sellers) and ${n(o.orders)} orders (the naive chain the first ${n(o.naiveOrders)} of them), ${o.duplicates * 100} % of events sent twice, ${o.reorder * 100} % of orders shuffled`,
    ...(Object.keys(o.serviceEnv).length > 0 ? [`services    with ${Object.entries(o.serviceEnv).map(([k, v]) => `${k}=${v}`).join(' ')} (NOT the shipped settings)`] : []),
    ...report.problems.map((p) => `PROBLEM     ${p}`),
  ];
}

export function formatReport(report: BenchReport): string {
  const lines = [`\nNiryat end to end, ${report.startedAt}\n`];
  for (const s of sections(report)) lines.push(s.title, ...formatTable(s.header, s.rows, s.right, { rule: true }), '');
  return `${[...lines, ...footer(report)].join('\n')}\n`;
}

export function markdownReport(report: BenchReport): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const lines = [`Run of ${report.startedAt}: \`npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\``, ''];
  for (const s of sections(report)) {
    lines.push(`**${s.title}**`, '', `| ${s.header.join(' | ')} |`, `|${s.header.map((_, i) => (s.right(i) ? '---:' : '---')).join('|')}|`);
    for (const row of s.rows) lines.push(`| ${row.map(escape).join(' | ')} |`);
    lines.push('');
  }
  lines.push(...footer(report).map((l) => `- ${l.replace(/^(\S+)\s+/, '$1: ')}`));
  return `${lines.join('\n')}\n`;
}

export function writeReports(jsonPath: string, report: BenchReport, markdown: string): void {
  writeJsonReport(jsonPath, report);
  writeFileSync(jsonPath.replace(/\.json$/, '.md'), markdown);
}
