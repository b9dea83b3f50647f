import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { ChildConfig, Usage } from './child';
import { BenchChild, busyShare, ChildProgress, cpuOf, cpuSpent, hostCpu, HostCpu } from '@niryat/testing';
import { CpuSummary, QueryStat, summarizeCpuProfile } from './profile';
import type { VariantName } from './options';
import type { Expected } from './workload';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const ENTRY: Record<VariantName, string> = {
  batch: join(__dirname, 'batch.ts'),
  naive: join(__dirname, 'naive', 'main.ts'),
  ceiling: join(__dirname, 'ceiling.ts'),
};
/** How often the runner looks at the database for committed exports. */
const POLL_MS = 100;
const PROGRESS_EVERY_MS = 5_000;
/** After the last export, how long the batch variant may take to publish its outbox (reported, not timed). */
const RELAY_DRAIN_LIMIT_MS = 60_000;

export interface VariantRun {
  variant: VariantName;
  ok: boolean;
  /** Records on the topic (events, plus resent copies). */
  events: number;
  /** Consumer start (app init / microservice listen / consumer connect) to its group joined. */
  joinSeconds?: number;
  /** Group joined to the last expected export committed (ceiling: the last record received). */
  seconds?: number;
  eventsPerSecond?: number;
  /** One line on what was checked, e.g. "10000 exports, 0 duplicates, values match". */
  check: string;
  problems: string[];
  facts: Record<string, unknown>;
  /** What the variant's process counted itself (naive, ceiling). */
  stats?: Record<string, number>;
  /** Batch only: seconds after the last export until the outbox relay had published everything. */
  relayDrainedSeconds?: number;
  /** Where the time went, from group joined to done. */
  resources?: Resources;
  /** --profile: SQL statements by total round-trip time, and the CPU profile's self time. */
  queries?: QueryStat[];
  cpuProfile?: CpuSummary;
}

export interface Resources {
  /** The variant's own process: CPU seconds and how busy its event loop was. */
  consumerCpuSeconds?: number;
  eventLoopBusy?: number;
  /** Postgres (own infrastructure: every Postgres process; else the variant's backends) and the broker. */
  postgresCpuSeconds?: number;
  kafkaCpuSeconds?: number;
  /** Share of the machine's cores busy (anything, also other programs) in the window. */
  hostBusy?: number;
}

/** The processes whose CPU a variant's window is charged with. */
export interface CpuSources {
  postgres(): Promise<number[]>;
  kafka(): number[];
}

interface Snapshot {
  host?: HostCpu;
  postgres: Map<number, number>;
  kafka: Map<number, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => Math.round(ms) / 1000;

let active: BenchChild<Usage> | undefined;

/** Ctrl-C: kill the variant's process that runs now, if any. */
export function killActiveVariant(): void {
  active?.kill();
}

export interface VariantContext {
  config: ChildConfig;
  expected: Expected;
  records: number;
  timeoutMs: number;
  db: Client;
  log: (line: string) => void;
  cpuSources: CpuSources;
  /** --profile: where the variant's process writes its CPU profile. */
  profileDir?: string;
}

async function snapshot(sources: CpuSources): Promise<Snapshot> {
  return { host: hostCpu(), postgres: cpuOf(await sources.postgres()), kafka: cpuOf(sources.kafka()) };
}

/** Starts the variant, waits until its work is committed (or its time is up), stops it, checks the result. */
export async function runVariant(context: VariantContext): Promise<VariantRun> {
  const { config } = context;
  const run: VariantRun = { variant: config.variant, ok: false, events: context.records, check: '', problems: [], facts: {} };
  const deadline = Date.now() + context.timeoutMs;
  if (context.profileDir) mkdirSync(context.profileDir, { recursive: true });
  const child = new BenchChild<Usage>(ENTRY[config.variant], config, {
    cwd: REPO_ROOT,
    execArgv: context.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${context.profileDir}`] : [],
  });
  active = child;
  const t = child.progress;
  const window: { start?: Snapshot; end?: Snapshot } = {};
  const onJoined = async () => {
    if (t.joinedAt !== undefined && !window.start) window.start = await snapshot(context.cpuSources);
  };
  try {
    let doneAt: number | undefined;
    if (config.variant === 'ceiling') {
      while (!t.consumed && !t.failure && !t.exited && Date.now() < deadline) {
        await onJoined();
        await sleep(20);
      }
      doneAt = t.consumed?.at;
    } else {
      doneAt = await pollUntilCommitted(context, t, deadline, onJoined);
    }
    if (doneAt !== undefined) {
      child.markDone();
      window.end = await snapshot(context.cpuSources);
    }
    if (doneAt !== undefined && config.variant === 'batch') run.relayDrainedSeconds = await relayDrained(context, doneAt);
    if (t.joinedAt !== undefined && t.startedAt !== undefined) run.joinSeconds = seconds(t.joinedAt - t.startedAt);
    if (doneAt !== undefined && t.joinedAt !== undefined) {
      run.seconds = seconds(doneAt - t.joinedAt);
      run.eventsPerSecond = Math.round(run.events / Math.max(run.seconds, 0.001));
    } else if (t.failure) run.problems.push(`failed: ${t.failure}`);
    else if (t.exited) run.problems.push(`its process exited early (code ${t.exited.code}, signal ${t.exited.signal})`);
    else run.problems.push(`timed out after ${seconds(context.timeoutMs)} s`);
  } finally {
    await child.stop();
    active = undefined;
  }
  run.stats = t.stats;
  if (window.start && window.end) {
    run.resources = {
      consumerCpuSeconds: t.usage?.cpuSeconds,
      eventLoopBusy: t.usage?.eventLoopBusy,
      postgresCpuSeconds: window.end.postgres.size > 0 ? cpuSpent(window.start.postgres, window.end.postgres) : undefined,
      kafkaCpuSeconds: window.end.kafka.size > 0 ? cpuSpent(window.start.kafka, window.end.kafka) : undefined,
      hostBusy: busyShare(window.start.host, window.end.host),
    };
  }
  run.queries = t.usage?.queries;
  if (context.profileDir) run.cpuProfile = summarizeCpuProfile(context.profileDir, t.usage?.monotonicUs);
  if (config.variant === 'ceiling') {
    const records = t.consumed?.records ?? t.stats?.records ?? 0;
    run.facts = { records, batches: t.stats?.batches };
    if (records !== context.records) run.problems.push(`read ${records} records, expected ${context.records}`);
    run.check = `${records} records read`;
  } else {
    await verifyCommitted(context, run);
  }
  run.ok = run.problems.length === 0 && run.eventsPerSecond !== undefined;
  return run;
}

async function counts(context: VariantContext): Promise<{ exports: number; events: number }> {
  const { rows } = await context.db.query<{ exports: number; events: number }>(
    `SELECT (SELECT count(*) FROM "${context.config.schema}".exports)::int AS exports,
            (SELECT count(*) FROM "${context.config.schema}".inbox WHERE consumer_group = $1)::int AS events`,
    [inboxGroup(context.config)],
  );
  return rows[0];
}

/** The group under which the variant records processed events in the inbox table. */
function inboxGroup(config: ChildConfig): string {
  return config.variant === 'batch' ? 'exports.partner-orders' : 'bench.naive-orders';
}

/**
 * Every 100 ms: done when every expected export is committed and every distinct event has been
 * recorded as processed (so resent copies placed near the end are not left out of the time).
 */
async function pollUntilCommitted(context: VariantContext, t: ChildProgress<Usage>, deadline: number, onJoined: () => Promise<void>): Promise<number | undefined> {
  const { expected, log, config } = context;
  let lastProgress = Date.now();
  for (;;) {
    if (t.failure || t.exited || Date.now() >= deadline) return undefined;
    if (t.joinedAt !== undefined) {
      await onJoined();
      const now = Date.now();
      const seen = await counts(context);
      const at = Date.now();
      if (seen.exports >= expected.exports && seen.events >= expected.events) return at;
      if (now - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = now;
        const elapsed = (now - t.joinedAt) / 1000;
        log(`${config.variant}: ${seen.events}/${expected.events} events, ${seen.exports}/${expected.exports} exports after ${elapsed.toFixed(1)} s (${Math.round(seen.events / elapsed)} events/s)`);
      }
    }
    await sleep(POLL_MS);
  }
}

async function relayDrained(context: VariantContext, doneAt: number): Promise<number | undefined> {
  const limit = Date.now() + RELAY_DRAIN_LIMIT_MS;
  while (Date.now() < limit) {
    const { rows } = await context.db.query<{ pending: number }>(
      `SELECT count(*)::int AS pending FROM "${context.config.schema}".outbox WHERE published_at IS NULL`,
    );
    if (rows[0].pending === 0) return seconds(Date.now() - doneAt);
    await sleep(POLL_MS);
  }
  return undefined;
}

/** Exactly the expected exports, each order once, valued as expected; every event recorded once. */
async function verifyCommitted(context: VariantContext, run: VariantRun): Promise<void> {
  const { db, expected, config } = context;
  const s = `"${config.schema}"`;
  const one = async <R>(sql: string, params: unknown[] = []): Promise<R> => (await db.query(sql, params)).rows[0] as R;
  const exportsRow = await one<{ exports: number; orders: number; usd: string | null; inr: string | null }>(
    `SELECT count(*)::int AS exports, count(DISTINCT (partner, order_id))::int AS orders,
            sum(value_usd_minor)::text AS usd, sum(value_inr_minor)::text AS inr FROM ${s}.exports`,
  );
  const byCurrency = Object.fromEntries(
    (await db.query<{ currency: string; total: string }>(`SELECT currency, sum(value_minor)::text AS total FROM ${s}.exports GROUP BY currency ORDER BY currency`)).rows.map(
      (r) => [r.currency, r.total],
    ),
  );
  const ordersRow = await one<{ orders: number; shipped: number }>(
    `SELECT count(*)::int AS orders, count(*) FILTER (WHERE status = 'shipped' AND export_id IS NOT NULL)::int AS shipped FROM ${s}.orders`,
  );
  const historyRow = await one<{ events: number; applied: number }>(
    `SELECT count(*)::int AS events, count(*) FILTER (WHERE applied)::int AS applied FROM ${s}.order_events`,
  );
  const inboxRow = await one<{ processed: number }>(`SELECT count(*)::int AS processed FROM ${s}.inbox WHERE consumer_group = $1`, [inboxGroup(config)]);
  const parkedRow = await one<{ parked: number }>(`SELECT count(*)::int AS parked FROM ${s}.parked_events`);
  const outboxRow = await one<{ rows: number; unpublished: number }>(
    `SELECT count(*)::int AS rows, count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished FROM ${s}.outbox`,
  );
  const duplicates = exportsRow.exports - exportsRow.orders;
  run.facts = {
    exports: exportsRow.exports,
    duplicateExports: duplicates,
    orders: ordersRow.orders,
    ordersShippedWithExport: ordersRow.shipped,
    orderEvents: historyRow.events,
    shipmentsApplied: historyRow.applied,
    processedEvents: inboxRow.processed,
    parked: parkedRow.parked,
    outboxRows: outboxRow.rows,
    outboxUnpublished: outboxRow.unpublished,
    valueMinorByCurrency: byCurrency,
    valueUsdMinor: exportsRow.usd,
    valueInrMinor: exportsRow.inr,
  };
  const expect = (what: string, actual: unknown, wanted: unknown) => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) run.problems.push(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
  };
  expect('exports', exportsRow.exports, expected.exports);
  expect('duplicate exports', duplicates, 0);
  expect('orders', ordersRow.orders, expected.orders);
  expect('orders shipped with their export', ordersRow.shipped, expected.orders);
  expect('order events', historyRow.events, expected.events);
  expect('shipments applied', historyRow.applied, expected.exports);
  expect('processed events', inboxRow.processed, expected.events);
  expect('parked events', parkedRow.parked, 0);
  expect('value by currency', byCurrency, expected.valueMinorByCurrency);
  expect('USD value', exportsRow.usd, expected.valueUsdMinor);
  expect('INR value', exportsRow.inr, expected.valueInrMinor);
  if (config.variant === 'batch') expect('ExportRecorded outbox rows', outboxRow.rows, expected.exports);
  const valuesOk = !run.problems.some((p) => p.includes('value'));
  // Records handed to the naive handler more than once (kafkajs redelivery after a rebalance or restart), dedup made harmless.
  const redelivered = run.stats?.received !== undefined ? run.stats.received - context.records : 0;
  run.check = `${exportsRow.exports}/${expected.exports} exports, ${duplicates} duplicate, ${inboxRow.processed} events once, values ${valuesOk ? 'match' : 'DIFFER'}${redelivered > 0 ? `, ${redelivered} redelivered` : ''}`;
}
