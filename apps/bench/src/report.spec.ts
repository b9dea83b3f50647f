import { describeMachine } from '@niryat/testing';
import { BenchOptions, parseOptions } from './options';
import type { ThroughputResult } from './pipeline';
import { BenchReport, formatReport, markdownReport } from './report';

const parsed = parseOptions([]);
if (parsed === 'help') throw new Error('unreachable');
const options: BenchOptions = parsed;

function reportWith(figures: { x1?: number; naive?: number; ceiling?: number; p99At2000?: number; rebuild?: number; peakMb?: number }): BenchReport {
  const run = (label: string, eventsPerSecond?: number): ThroughputResult[] =>
    eventsPerSecond === undefined ? [] : [{ label, what: label, ok: true, events: 1_000, seconds: 1_000 / eventsPerSecond, eventsPerSecond, check: 'ok', usage: label === 'x1' ? { exports: { peakRssMb: figures.peakMb, cpuSeconds: 1 } } : {} }];
  return {
    benchmark: 'test',
    startedAt: '2026-12-07T00:00:00.000Z',
    finishedAt: '2026-12-07T00:10:00.000Z',
    machine: describeMachine(),
    kafka: '4.3.1',
    postgres: '18.4',
    options,
    throughput: [...run('x1', figures.x1), ...run('naive', figures.naive), ...run('ceiling', figures.ceiling)],
    freshness: figures.p99At2000 === undefined ? [] : [{ rate: 2_000, ok: true, probes: 600, p50: 100, p95: 200, p99: figures.p99At2000, max: 900, check: 'ok', usage: {} }],
    rebuild: figures.rebuild === undefined ? undefined : { ok: true, records: 100_000, seconds: 100_000 / figures.rebuild, eventsPerSecond: figures.rebuild, check: 'ok', usage: {} },
    problems: [],
  };
}

const verdicts = (text: string) => Object.fromEntries(text.split('\n').filter((l) => / (met|MISSED|not run)$/.test(l)).map((l) => [l.split(/\s{2,}/)[0], l.split(/\s{2,}/).pop()]));

describe('the bench report', () => {
  it('judges each target from the run’s own figures', () => {
    const text = formatReport(reportWith({ x1: 21_000, naive: 1_500, ceiling: 60_000, p99At2000: 1_200, rebuild: 40_000, peakMb: 250 }));
    expect(verdicts(text)).toEqual({
      'end to end ≥ 20,000 events/s': 'met',
      '≥ 10× the naive chain': 'met',
      '≥ 50 % of the client ceiling': 'MISSED',
      'p99 < 1 s at 2,000 events/s': 'MISSED',
      'rebuild ≥ 50,000 events/s': 'MISSED',
      'each service < 300 MB resident': 'met',
    });
    expect(text).toContain('14.0'); // × naive
    expect(text).toContain('35 %'); // of the ceiling
  });

  it('says "not run" for a target whose section did not run, never met', () => {
    expect(verdicts(formatReport(reportWith({ x1: 5_000 })))['≥ 10× the naive chain']).toBe('not run');
  });

  it('writes the same tables as Markdown', () => {
    const markdown = markdownReport(reportWith({ x1: 21_000, naive: 1_500 }));
    expect(markdown).toContain('| target | figure | verdict |');
    expect(markdown).toMatch(/\| end to end ≥ 20,000 events\/s \| 21,000 events\/s \| met \|/);
  });
});
