import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * Where a variant's time goes, for `--profile` runs (which are slower: the numbers of a profiled
 * run are for finding the bottleneck, not for the table).
 *
 * - In the variant's process: every SQL statement's round trip, timed at TypeORM's query runner
 *   (the service and the naive variant both go through it), grouped by statement.
 * - Afterwards, in the runner: the V8 CPU profile (`--cpu-prof`) summarised by self time per
 *   package or library.
 */

export interface QueryStat {
  statement: string;
  calls: number;
  ms: number;
}

const queries = new Map<string, QueryStat>();

/** Groups statements by their text, literals and long lists cut, so each kind of query is one row. */
function statementOf(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/"bench_[a-z0-9_]+"\./g, '')
    .replace(/'[^']*'/g, "'…'")
    .trim()
    .slice(0, 110);
}

/** Times every query sent through TypeORM's Postgres query runner in this process. */
export function instrumentQueries(): void {
  const { PostgresQueryRunner } = require('typeorm/driver/postgres/PostgresQueryRunner') as {
    PostgresQueryRunner: { prototype: { query: (sql: string, ...rest: unknown[]) => Promise<unknown> } };
  };
  const original = PostgresQueryRunner.prototype.query;
  PostgresQueryRunner.prototype.query = async function timedQuery(this: unknown, sql: string, ...rest: unknown[]): Promise<unknown> {
    const started = performance.now();
    try {
      return await original.call(this, sql, ...rest);
    } finally {
      const key = statementOf(sql);
      const stat = queries.get(key) ?? { statement: key, calls: 0, ms: 0 };
      stat.calls += 1;
      stat.ms += performance.now() - started;
      queries.set(key, stat);
    }
  };
}

export function queryStats(top = 15): QueryStat[] {
  return [...queries.values()]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top)
    .map((q) => ({ ...q, ms: Math.round(q.ms) }));
}

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuSummary {
  file: string;
  totalMs: number;
  byArea: { area: string; ms: number; share: number }[];
  topFunctions: { fn: string; area: string; ms: number; share: number }[];
  /** Inclusive busy time (idle excluded) of the parts of the consumer path, overlapping. */
  components: { component: string; ms: number; share: number }[];
}

/** Parts of the consumer path whose inclusive time is worth knowing; a sample counts once per part. */
const COMPONENTS: { component: string; matches: (frame: CallFrame) => boolean }[] = [
  { component: 'payload validation (contracts parsePayload), all callers', matches: (f) => f.functionName === 'parsePayload' },
  { component: '  of which under RecordDecoder.decode (inbound)', matches: () => false },
  { component: '  of which under OutboxWriter.append (ExportRecorded self-check)', matches: () => false },
  { component: 'RecordDecoder.decode', matches: (f) => f.url.endsWith('record-decoder.ts') },
  { component: 'OutboxWriter.append', matches: (f) => f.url.endsWith('outbox-writer.ts') },
  { component: 'order intake and processor (incl. valuation)', matches: (f) => /orders\/(order-intake|order-processor|export-valuation|order-history)\.ts$/.test(f.url) },
  { component: 'outbox relay', matches: (f) => f.url.endsWith('outbox-relay.ts') },
  { component: 'kafkajs protocol (record decoding and encoding)', matches: (f) => f.url.includes('node_modules/kafkajs/src/protocol/') },
  { component: 'pg and pg-protocol (incl. parameter serialisation)', matches: (f) => /node_modules\/pg(-protocol)?\//.test(f.url) },
  { component: 'typeorm (incl. the pg calls it makes)', matches: (f) => f.url.includes('node_modules/typeorm/') },
  { component: 'naive handler (bench)', matches: (f) => f.url.endsWith('naive-orders.service.ts') },
  { component: '@nestjs/microservices', matches: (f) => f.url.includes('node_modules/@nestjs/microservices/') },
  { component: 'garbage collector', matches: (f) => f.functionName === '(garbage collector)' },
];

/** node_modules/<package>, libs/<lib>, apps/<app>, node internals, or V8's own (GC, idle, program). */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf(`node_modules${sep}`);
  if (modules >= 0) {
    const parts = path.slice(modules + 'node_modules/'.length).split(sep);
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const repo = /\/(libs|apps)\/([^/]+)\/(src|bench)\//.exec(path);
  return repo ? `${repo[1]}/${repo[2]}${repo[3] === 'bench' ? '/bench' : ''}` : path;
}

/**
 * Self time per area and per function in the newest .cpuprofile of `dir`, counting only the samples
 * taken within `window` (monotonic µs, as the profile's own timestamps), i.e. not start-up.
 */
export function summarizeCpuProfile(dir: string, window?: [number, number], topAreas = 12, topFunctions = 15): CpuSummary | undefined {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  const file = files[files.length - 1];
  if (!file) return undefined;
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfUs = new Map<number, number>();
  const componentUs = new Map<string, number>();
  let busyUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (window && (at < window[0] || at > window[1])) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + us);
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    busyUs += us;
    // Walk the stack once: each component counts once per sample; validation is also split by caller.
    const hit = new Set<string>();
    let validating = false;
    for (let node: number | undefined = id; node !== undefined; node = parentOf.get(node)) {
      const frame = byId.get(node)?.callFrame;
      if (!frame) break;
      for (const { component, matches } of COMPONENTS) if (matches(frame)) hit.add(component);
      if (frame.functionName === 'parsePayload') validating = true;
      if (validating && !hit.has(COMPONENTS[1].component) && !hit.has(COMPONENTS[2].component)) {
        if (frame.url.endsWith('record-decoder.ts')) hit.add(COMPONENTS[1].component);
        if (frame.url.endsWith('outbox-writer.ts')) hit.add(COMPONENTS[2].component);
      }
    }
    for (const component of hit) componentUs.set(component, (componentUs.get(component) ?? 0) + us);
  });
  const areas = new Map<string, number>();
  const functions = new Map<string, { area: string; us: number }>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const area = areaOf(url, functionName);
    total += us;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${url ? `${url.split('/').slice(-1)[0]}:${lineNumber + 1}` : ''}`.trim();
    const entry = functions.get(fn) ?? { area, us: 0 };
    entry.us += us;
    functions.set(fn, entry);
  }
  const share = (us: number) => Math.round((us / total) * 1000) / 10;
  return {
    file: join(dir, file),
    totalMs: Math.round(total / 1000),
    byArea: [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topAreas)
      .map(([area, us]) => ({ area, ms: Math.round(us / 1000), share: share(us) })),
    components: COMPONENTS.filter(({ component }) => componentUs.has(component)).map(({ component }) => ({
      component,
      ms: Math.round((componentUs.get(component) ?? 0) / 1000),
      share: Math.round(((componentUs.get(component) ?? 0) / busyUs) * 1000) / 10,
    })),
    topFunctions: [...functions.entries()]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, topFunctions)
      .map(([fn, { area, us }]) => ({ fn, area, ms: Math.round(us / 1000), share: share(us) })),
  };
}
