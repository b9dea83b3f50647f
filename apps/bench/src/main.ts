import 'reflect-metadata';
import { call, FxRateRow, GroundTruth, planOrders, PlannedOrder, SimulationRecord, verify, viewsTruth } from '@niryat/simulator';
import { acquireInfra, BenchInfra, describeMachine, optionsOrExitCode } from '@niryat/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runCeiling } from './ceiling';
import { REPO_ROOT } from './repo-root';
import { FreshnessResult, runFreshness } from './freshness';
import { runNaiveChain } from './naive-chain';
import { BenchOptions, parseOptions, USAGE } from './options';
import { BenchContext, prepare, Prepared, ThroughputResult, timePipeline, WorkloadOptions } from './pipeline';
import { runRebuild, RebuildResult } from './rebuild';
import { BenchReport, formatReport, markdownReport, writeReports } from './report';

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const open: { infra?: BenchInfra; db?: Client; admin?: { disconnect(): Promise<void> }; stacks: Prepared[] } = { stacks: [] };

async function cleanUp(keepData: boolean): Promise<void> {
  for (const prepared of open.stacks.splice(0)) await prepared.stack.stop().catch(() => undefined);
  await open.admin?.disconnect().catch(() => undefined);
  await open.db?.end().catch(() => undefined);
  await open.infra?.stop({ removeData: !keepData }).catch(() => undefined);
}

let interrupted = false;
function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) return;
  interrupted = true;
  log(`${signal}: stopping`);
  void cleanUp(false).finally(() => process.exit(130));
}

/**
 * A finished platform's services stopped and its schemas dropped, then a checkpoint: left behind,
 * hundreds of thousands of rows would have autovacuum and the checkpointer working through the next
 * section's timed window (seen: PostgreSQL at 67 CPU seconds instead of 15 in the scaling run).
 */
async function retire(context: BenchContext, prepared: Prepared): Promise<void> {
  await prepared.stack.stop();
  open.stacks.splice(open.stacks.indexOf(prepared), 1);
  const schemas = (['onboarding', 'exports', 'training', 'reporting'] as const).map((name) => prepared.stack.schemaOf(name));
  await context.db.query(schemas.map((schema) => `DROP SCHEMA IF EXISTS "${schema}" CASCADE;`).join(' '));
  await context.db.query('CHECKPOINT').catch(() => undefined); // needs pg_checkpoint on a shared server
}

/** The freshness runs added orders: the truth is the first stream's orders and theirs, in the simulator's own arithmetic. */
async function truthWith(prepared: Prepared, workload: WorkloadOptions, extra: PlannedOrder[]): Promise<SimulationRecord> {
  const { target } = prepared.stack;
  const rates = (await call<{ items: FxRateRow[] }>('GET', `${target.urls.exports}/v1/fx-rates`, target.tokens.analyst)).items;
  const truth = new GroundTruth(prepared.world, rates);
  for (const order of [...planOrders(prepared.world, workload.orders, workload.seed), ...extra]) truth.add(order);
  const cumulative: Record<string, bigint> = {};
  for (const row of truth.rows()) cumulative[row.programme] = (cumulative[row.programme] ?? 0n) + BigInt(row.valueUsdMinor);
  return {
    ...prepared.record,
    expected: {
      ...prepared.record.expected,
      rows: truth.rows(),
      cumulativeUsdMinor: Object.fromEntries(prepared.record.programmes.map((p) => [p, (cumulative[p] ?? 0n).toString()])),
      views: viewsTruth(prepared.world, truth),
    },
  };
}

async function main(): Promise<number> {
  const options = optionsOrExitCode(parseOptions, USAGE);
  if (typeof options === 'number') return options;
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const startedAt = new Date();
  const machine = describeMachine();
  const has = (section: BenchOptions['sections'][number]) => options.sections.includes(section);

  const infra = (open.infra = await acquireInfra(log));
  const db = (open.db = new Client({ connectionString: infra.databaseUrl, application_name: 'niryat-bench' }));
  await db.connect();
  const admin = new Kafka({ clientId: 'niryat-bench', brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  open.admin = admin;
  const context: BenchContext = {
    kafkaBrokers: infra.kafkaBrokers,
    databaseUrl: infra.databaseUrl,
    kafkaPid: infra.kafkaPid,
    postgresPid: infra.postgresPid,
    run: `${process.pid}${randomBytes(2).toString('hex')}`,
    db,
    admin,
    log,
    timeoutSeconds: options.timeoutSeconds,
    serviceEnv: options.serviceEnv,
  };
  const workload: WorkloadOptions = { seed: options.seed, sellers: options.sellers, orders: options.orders, duplicates: options.duplicates, reorder: options.reorder, now: Date.now() };
  const throughput: ThroughputResult[] = [];
  const freshness: FreshnessResult[] = [];
  let rebuild: RebuildResult | undefined;
  const problems: string[] = [];

  if (has('pipeline') || has('ceiling') || has('freshness') || has('rebuild')) {
    const one = await prepare(context, 'x1', 1, workload, ['exports']);
    open.stacks.push(one);
    if (has('pipeline')) {
      log('pipeline, one instance each: timing');
      throughput.push({ ...(await timePipeline(context, one)), what: 'the platform: exports ×1 → reporting ×1' });
    } else {
      one.stack.of('exports').forEach((i) => one.stack.launch(i));
    }
    if (has('ceiling')) {
      log('ceiling: a consume-only reader of the same records');
      throughput.push(await runCeiling(context, one));
    }
    if (has('rebuild')) {
      log('rebuild: every reporting view from the log');
      rebuild = await runRebuild(context, one);
    }
    if (has('freshness')) {
      await one.stack.waitHealthy();
      const sent: PlannedOrder[] = [];
      for (const [i, rate] of options.rates.entries()) {
        log(`freshness at ${rate} events/s: ${options.warmupSeconds} s warm-up, ${options.seconds} s measured`);
        const { result, orders } = await runFreshness(context, one, rate, { warmupSeconds: options.warmupSeconds, seconds: options.seconds, firstIndex: workload.orders + sent.length, seed: workload.seed + 1 + i });
        sent.push(...orders);
        freshness.push(result);
        log(`freshness at ${rate}: p50 ${result.p50} ms, p99 ${result.p99} ms; ${result.check}`);
      }
      const report = await verify(one.stack.target, await truthWith(one, workload, sent), 300, () => undefined);
      if (report.differences.length > 0) problems.push(`after the freshness runs: ${report.differences.length} difference(s) from the truth, e.g. ${report.differences[0]}`);
      else log(`after the freshness runs: ${report.checked.rows} API rows and ${report.checked.topicRows} topic rows equal the truth`);
    }
    await retire(context, one);
  }
  if (has('scaling') && !interrupted) {
    const two = await prepare(context, 'x2', 2, workload, ['exports']);
    open.stacks.push(two);
    log('pipeline, two instances each: timing');
    throughput.push({ ...(await timePipeline(context, two)), what: 'the platform: exports ×2 → reporting ×2' });
    await retire(context, two);
  }
  if (has('naive') && !interrupted) {
    const naive = await prepare(context, 'naive', 1, { ...workload, orders: options.naiveOrders }, ['exports', 'reporting']);
    open.stacks.push(naive);
    log('naive chain: timing');
    throughput.push(await runNaiveChain(context, naive));
    await retire(context, naive);
  }

  machine.loadAverageAtEnd = loadavg();
  const report: BenchReport = {
    benchmark: 'the whole platform: partner order events → exports → reporting → report totals',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine,
    kafka: infra.kafkaVersion,
    postgres: (await db.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version,
    options,
    throughput,
    freshness,
    rebuild,
    problems,
  };
  const out = options.out ?? join(REPO_ROOT, 'artifacts', `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  process.stdout.write(formatReport(report));
  writeReports(out, report, markdownReport(report));
  process.stdout.write(`\nreport written to ${out.replace(`${REPO_ROOT}/`, '')} and ${out.replace(/\.json$/, '.md').replace(`${REPO_ROOT}/`, '')}\n`);
  const ok = problems.length === 0 && throughput.every((r) => r.ok) && freshness.every((r) => r.ok) && (rebuild?.ok ?? true);
  await cleanUp(!ok);
  return ok ? 0 : 1;
}

main().then(
  (code) => {
    if (!interrupted) process.exit(code);
  },
  async (error: unknown) => {
    if (interrupted) return;
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    await cleanUp(true);
    process.exit(1);
  },
);
