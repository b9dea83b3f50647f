import { MARKETPLACES, partnerTopicName, planWorld, simulate, SimulationRecord, Stack, verify, World } from '@niryat/simulator';
import { busyShare, hostCpu, processTree } from '@niryat/testing';
import { Admin } from 'kafkajs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { ProcessSampler, ServiceUsage } from './process-sampler';

/** What the bench runs on, shared by every section. */
export interface BenchContext {
  kafkaBrokers: string;
  databaseUrl: string;
  kafkaPid?: number;
  postgresPid?: number;
  /** Unique per run: names every namespace and schema prefix. */
  run: string;
  db: Client;
  admin: Admin;
  log: (line: string) => void;
  timeoutSeconds: number;
  /** Extra environment for every service instance. */
  serviceEnv: Record<string, string>;
}

export interface WorkloadOptions {
  seed: number;
  sellers: number;
  orders: number;
  duplicates: number;
  reorder: number;
  /** The simulator's clock: fixed, so every variant of a run gets the same world and stream. */
  now: number;
}

/** A platform whose partner topic holds the whole stream while the timed consumers wait. */
export interface Prepared {
  label: string;
  stack: Stack;
  world: World;
  record: SimulationRecord;
  /** Records on the partner topic. */
  events: number;
}

export interface ThroughputResult {
  label: string;
  what: string;
  ok: boolean;
  events: number;
  /** Consumer group joined to the last export in the report totals. */
  seconds?: number;
  eventsPerSecond?: number;
  check: string;
  usage: Record<string, ServiceUsage>;
  hostBusy?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TAG = 'bench';

export const namespaceOf = (context: BenchContext, label: string) => `bench-${context.run}-${label}`;
export const schemaPrefixOf = (context: BenchContext, label: string) => `b${context.run.replace(/-/g, '_')}_${label}_`;

export function worldOf(workload: WorkloadOptions): World {
  return planWorld({ seed: workload.seed, tag: TAG, sellers: workload.sellers, lateLinks: 0, windowDays: 120, now: workload.now });
}

/**
 * The platform with `replicas` of exports and reporting, its world created through the public APIs
 * by the simulator, then the services named in `stopBeforeStream` stopped (once exports has every
 * account link) and the simulator's whole order stream produced to the partner topic: the backlog
 * the timed run consumes. Duplicates and shuffled orders are in it; garbage is not (its dead
 * letters would be timed too).
 */
export async function prepare(context: BenchContext, label: string, replicas: number, workload: WorkloadOptions, stopBeforeStream: ('exports' | 'reporting')[]): Promise<Prepared> {
  const { log } = context;
  const stack = await Stack.start({
    kafkaBrokers: context.kafkaBrokers,
    databaseUrl: context.databaseUrl,
    namespace: namespaceOf(context, label),
    schemaPrefix: schemaPrefixOf(context, label),
    replicas: { exports: replicas, reporting: replicas },
    env: context.serviceEnv,
    log: (line) => log(`${label}: ${line}`),
  });
  const world = worldOf(workload);
  const dir = mkdtempSync(join(tmpdir(), 'niryat-bench-'));
  const linked = world.sellers.filter((s) => !s.unapproved).reduce((n, s) => n + s.accounts.length, 0);
  try {
    const record = await simulate(stack.target, {
      seed: workload.seed,
      tag: TAG,
      sellers: workload.sellers,
      orders: workload.orders,
      rate: 'max',
      windowDays: 120,
      duplicates: workload.duplicates,
      reorder: workload.reorder,
      garbage: 0,
      transport: 'kafka',
      lateLinks: 0,
      now: workload.now,
      keysFile: join(dir, 'keys.json'),
      recordFile: join(dir, 'record.json'),
      log: (line) => {
        if (!/^sent \d+ of/.test(line)) log(`${label}: ${line}`);
      },
      onStreaming: async () => {
        await waitFor(`${label}: exports to hold the world's ${linked} account links`, context.timeoutSeconds, async () => {
          const { rows } = await context.db.query<{ n: string }>(`SELECT count(*) AS n FROM "${stack.schemaOf('exports')}".marketplace_accounts`);
          return Number(rows[0].n) >= linked;
        });
        await stack.stop(stopBeforeStream.flatMap((name) => stack.of(name)));
        log(`${label}: world ready; ${stopBeforeStream.join(' and ')} stopped; producing the order stream`);
      },
    });
    const offsets = (await Promise.all(MARKETPLACES.map((partner) => context.admin.fetchTopicOffsets(partnerTopicName(stack.target, partner))))).flat();
    const events = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    log(`${label}: ${events} partner records waiting (${record.sent.duplicates} duplicates, ${record.sent.shuffledOrders} orders shuffled), truth ${record.expected.rows.length} report rows`);
    return { label, stack, world, record, events };
  } catch (error) {
    await stack.stop();
    throw stack.explained(error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function waitFor(what: string, timeoutSeconds: number, done: () => Promise<boolean>, everyMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutSeconds} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Sums of the report rows of the world's programmes: equal to the truth's once every export is in. */
export async function totalsFingerprint(db: Client, reportingSchema: string, programmes: string[]): Promise<string> {
  const { rows } = await db.query<{ f: string }>(
    `SELECT concat_ws('/', coalesce(sum(orders), 0), coalesce(sum(returns), 0), coalesce(sum(value_usd_minor), 0), coalesce(sum(returns_usd_minor), 0), coalesce(sum(exporting_sellers), 0)) AS f
       FROM "${reportingSchema}".export_totals WHERE programme = ANY($1)`,
    [programmes],
  );
  return rows[0].f;
}

export function truthFingerprint(record: SimulationRecord): string {
  const sum = (field: 'orders' | 'returns' | 'valueUsdMinor' | 'returnsUsdMinor' | 'exportingSellers') =>
    record.expected.rows.reduce((total, row) => total + BigInt(row[field]), 0n).toString();
  return [sum('orders'), sum('returns'), sum('valueUsdMinor'), sum('returnsUsdMinor'), sum('exportingSellers')].join('/');
}

/** Waits until `groupId` is stable with `members` members; the moment it is seen so. */
export async function groupJoined(context: BenchContext, groupId: string, members: number): Promise<number> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { groups } = await context.admin.describeGroups([groupId]);
    if (groups[0]?.state === 'Stable' && groups[0].members.length >= members) return performance.now();
    if (Date.now() > deadline) throw new Error(`${groupId} did not join in 120 s (${groups[0]?.state}, ${groups[0]?.members.length} members)`);
    await sleep(20);
  }
}

/** Every process the window charges: the services' instances, PostgreSQL and the broker. */
export function samplerOf(context: BenchContext, pids: () => Record<string, number[]>): ProcessSampler {
  return new ProcessSampler(() => ({
    ...pids(),
    postgres: context.postgresPid ? processTree(context.postgresPid) : [],
    kafka: context.kafkaPid ? [context.kafkaPid] : [],
  }));
}

/**
 * Starts the stopped exports instances on the waiting backlog and times it from their partner
 * consumer group joined to the report totals counting every export, polled every 100 ms; then
 * checks the platform against the simulator's truth (every row, API and topic).
 */
export async function timePipeline(context: BenchContext, prepared: Prepared): Promise<ThroughputResult> {
  const { stack, record, events, label } = prepared;
  const exportsInstances = stack.of('exports');
  const reportingSchema = stack.schemaOf('reporting');
  const sampler = samplerOf(context, () => ({ exports: stack.pidsOf('exports'), reporting: stack.pidsOf('reporting'), onboarding: stack.pidsOf('onboarding'), training: stack.pidsOf('training') }));
  const host = hostBusy();
  exportsInstances.forEach((i) => stack.launch(i));
  const started = await groupJoined(context, `${namespaceOf(context, label)}.exports.partner-orders`, exportsInstances.length);
  sampler.start();
  host.start();
  const expected = truthFingerprint(record);
  let seen = '';
  let lastProgress = Date.now();
  const deadline = Date.now() + context.timeoutSeconds * 1000;
  while ((seen = await totalsFingerprint(context.db, reportingSchema, record.programmes)) !== expected) {
    if (Date.now() > deadline) {
      sampler.stop();
      return { label, what: '', ok: false, events, check: `FAILED: totals ${seen} after ${context.timeoutSeconds} s, expected ${expected}`, usage: {} };
    }
    if (Date.now() - lastProgress > 5_000) {
      lastProgress = Date.now();
      context.log(`${label}: ${seen.split('/')[0]} of ${expected.split('/')[0]} orders in the totals after ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    await sleep(100);
  }
  const seconds = (performance.now() - started) / 1000;
  const usage = sampler.stop();
  const busy = host.stop();
  await stack.waitHealthy(exportsInstances);
  const report = await verify(stack.target, record, 60, () => undefined);
  const ok = report.differences.length === 0;
  for (const line of report.differences.slice(0, 10)) context.log(`${label}: DIFFERENCE ${line}`);
  return {
    label,
    what: '',
    ok,
    events,
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond: Math.round(events / seconds),
    check: ok
      ? `ok: ${report.checked.rows} API rows and ${report.checked.topicRows} topic rows equal the truth`
      : `FAILED: ${report.differences.length} difference(s) from the truth, e.g. ${report.differences[0]}`,
    usage,
    hostBusy: busy,
  };
}

/** How busy the whole machine was between start and stop (any process). */
export function hostBusy(): { start(): void; stop(): number | undefined } {
  let from: ReturnType<typeof hostCpu>;
  return {
    start: () => {
      from = hostCpu();
    },
    stop: () => busyShare(from, hostCpu()),
  };
}
