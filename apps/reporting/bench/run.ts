import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { parsePayload, ProgrammeDefined, ProgrammeDefinedV1, toKafkaHeaders, Topics, TopicSpecs } from '@niryat/contracts';
import { KafkaClient } from '@niryat/messaging';
import { acquireInfra, dropBenchNamespace, BenchInfra, busyShare, cpuOf, cpuSpent, describeMachine, hostCpu, HostCpu, optionsOrExitCode, processTree, SteadyProducer } from '@niryat/testing';
import { Admin, Kafka, logLevel, Partitioners } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { REPORTING_GROUP } from '../src/reporting-views';
import { FreshnessOptions, parseOptions, TARGET, USAGE } from './options';
import { makeSchedule, Probe } from './pacer';
import { apiReader, databaseReader, ProbeWatcher } from './probe-watcher';
import { FreshnessReport, formatReport, RateRun, summarizeLatency, verdictOf, writeReport } from './report';
import { buildServices, ReportingProcess } from './reporting-process';
import { verifyTotals } from './verify';
import { BENCH_MARKETPLACES, EXPORT_PARTITIONS, ExportStream } from './workload';

/**
 * `npm run bench:freshness`: how long a shipped order takes to show in the reporting service's
 * export totals at several steady rates, side by side. See apps/reporting/bench/README.md.
 */

const REPO_ROOT = join(__dirname, '..', '..', '..');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LAG_SAMPLE_MS = 1_000;

interface Resources {
  infra?: BenchInfra;
  db?: Client;
  pollDb?: Client;
  kafka?: KafkaClient;
  service?: ReportingProcess;
  namespacePrefix?: string;
  schemas: string[];
  keep: boolean;
}
const resources: Resources = { schemas: [], keep: false };

async function cleanUp(keepOwnData: boolean): Promise<void> {
  const { db, pollDb, kafka, infra, namespacePrefix, service } = resources;
  await service?.stop().catch(() => undefined);
  if (!resources.keep && !infra?.ownDir) {
    // On shared infrastructure: leave no schemas nor topics behind.
    await dropBenchNamespace(db, kafka, resources.schemas, namespacePrefix);
  }
  await pollDb?.end().catch(() => undefined);
  await db?.end().catch(() => undefined);
  await kafka?.close().catch(() => undefined);
  await infra?.stop({ removeData: !keepOwnData && !resources.keep });
}

let interrupted = false;
function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) return;
  interrupted = true;
  log(`${signal}: stopping`);
  cleanUp(false)
    .catch((error: unknown) => log(`clean-up failed: ${(error as Error).message}`))
    .finally(() => process.exit(130));
}

/**
 * What onboarding has published before exports flow: the programme catalogue (so progress is
 * computed and published as in production) and every seller's registration and approval.
 */
async function publishOnboarding(kafka: KafkaClient, stream: ExportStream): Promise<void> {
  const changedAt = new Date().toISOString();
  const common = { version: 1, changedAt, changedBy: 'bench-freshness' };
  const programmes = [
    { programmeId: 'amazon-global-selling', name: 'Amazon Global Selling', partner: 'amazon', kind: 'export', allIndia: true, states: [], startsOn: '2015-05-01',
      exportTargetUsd: 10_000_000_000, exportTargetBasis: 'cumulative', exportTargetDeadline: '2025-12-31', milestoneStepUsd: 1_000_000_000 },
    { programmeId: 'flipkart-walmart-odop-up', name: 'Walmart-Flipkart ODOP, Uttar Pradesh', partner: 'flipkart', kind: 'export', allIndia: false, states: ['09'],
      startsOn: '2024-01-01', exportTargetUsd: 10_000_000_000, exportTargetBasis: 'annual', exportTargetDeadline: '2027-12-31' },
    { programmeId: 'walmart-vriddhi', name: 'Walmart Vriddhi', partner: 'walmart', kind: 'both', allIndia: true, states: [], startsOn: '2019-12-01',
      trainingTargetMsmes: 50_000, trainingTargetDeadline: '2026-12-31' },
  ].map((p) => ({ ...p, marketplaces: BENCH_MARKETPLACES[p.programmeId], ...common }));
  // Right after topic creation the broker may not lead its partitions yet: a producer of its own,
  // quiet about the retries that wait for it.
  const quiet = new Kafka({ clientId: 'niryat-bench-setup', brokers: kafka.config.brokers, logLevel: logLevel.NOTHING, retry: { retries: 8 } });
  const producer = quiet.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const catalogue = programmes.map((programme) => {
      const parsed = parsePayload(ProgrammeDefinedV1, programme);
      if (!parsed.ok) throw new Error(`invalid programme snapshot ${programme.programmeId}: ${JSON.stringify(parsed.errors)}`);
      return {
        key: programme.programmeId,
        value: JSON.stringify(programme),
        headers: toKafkaHeaders({ id: randomUUID(), type: ProgrammeDefined.type, source: '/niryat/onboarding', time: changedAt }),
      };
    });
    await producer.sendBatch({
      acks: -1,
      topicMessages: [
        { topic: kafka.topic(Topics.onboardingProgramme), messages: catalogue },
        { topic: kafka.topic(Topics.onboardingSeller), messages: stream.onboarding(changedAt) },
      ],
    });
  } finally {
    await producer.disconnect();
  }
}

/** Events on the exports topic the reporting consumer has not applied (its stored offsets, committed with the totals). */
async function lagOf(admin: Admin, db: Client, schema: string, topic: string): Promise<number> {
  const high = (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  const { rows } = await db.query<{ applied: string }>(
    `SELECT coalesce(sum(next_offset), 0)::text AS applied FROM "${schema}".consumer_offsets WHERE consumer_group = $1 AND topic = $2`,
    [REPORTING_GROUP, topic],
  );
  return high - Number(rows[0].applied);
}

interface Snapshot {
  at: number;
  host?: HostCpu;
  reporting: Map<number, number>;
  postgres: Map<number, number>;
  kafka: Map<number, number>;
  bench: NodeJS.CpuUsage;
}

function snapshot(infra: BenchInfra, service: ReportingProcess): Snapshot {
  return {
    at: performance.now(),
    host: hostCpu(),
    reporting: cpuOf(service.pid ? [service.pid] : []),
    postgres: cpuOf(infra.postgresPid ? processTree(infra.postgresPid) : []),
    kafka: cpuOf(infra.kafkaPid ? [infra.kafkaPid] : []),
    bench: process.cpuUsage(),
  };
}

async function runRate(rate: number, options: FreshnessOptions, run: string, infra: BenchInfra, db: Client, pollDb: Client): Promise<RateRun> {
  const result: RateRun = { rate, ok: false, problems: [], check: '' };
  const namespace = `${resources.namespacePrefix}r${rate}`;
  const schema = `bench_${run.replace('-', '_')}_r${rate}`;
  resources.schemas.push(schema);
  const kafka = new KafkaClient({ brokers: infra.kafkaBrokers.split(','), clientId: 'niryat-bench-freshness', topicNamespace: namespace });
  const topic = kafka.topic(Topics.exports);
  let watcher: ProbeWatcher | undefined;
  try {
    const setupStart = Date.now();
    const stream = new ExportStream(options.seed, options.sellers);
    const schedule = makeSchedule(stream, rate, options.warmupSeconds, options.seconds, options.probeEveryMs);
    await kafka.ensureTopics(TopicSpecs);
    await publishOnboarding(kafka, stream);
    const service = (resources.service = await ReportingProcess.start(
      { databaseUrl: infra.databaseUrl, kafkaBrokers: infra.kafkaBrokers, namespace, schema, serviceEnv: options.serviceEnv },
      log,
    ));
    await service.waitConsuming(kafka);
    log(`${rate}/s: ${schedule.slots.length} events made, schema ${schema} migrated, service up (pid ${service.pid}) in ${((Date.now() - setupStart) / 1000).toFixed(1)} s; producing`);

    const admin = await kafka.admin();
    const probeWatcher = (watcher = new ProbeWatcher(options.observe === 'api' ? apiReader(service.url, service.token) : databaseReader(pollDb, schema), options.pollEveryMs));
    const probes: Probe[] = [];
    const producer = await kafka.producer();
    const pacer = new SteadyProducer(producer, () => topic, schedule, (probe) => {
      probes.push(probe);
      probeWatcher.add(probe);
    });

    // Lag each second of the measured window, and the CPU the window cost.
    const window: { phase: 'warm-up' | 'measuring' | 'over'; start?: Snapshot } = { phase: 'warm-up' };
    const lags: number[] = [];
    const sampling = (async () => {
      while (window.phase === 'warm-up') await sleep(20);
      while (window.phase === 'measuring') {
        // A failed sample is a missing figure, not a failed run.
        const lag = await lagOf(admin, db, schema, topic).catch(() => undefined);
        if (lag !== undefined) lags.push(lag);
        await sleep(LAG_SAMPLE_MS);
      }
    })();
    probeWatcher.start();
    try {
      result.pacing = await pacer.run(() => {
        window.start = snapshot(infra, service);
        window.phase = 'measuring';
      });
    } finally {
      window.phase = 'over';
    }
    const end = snapshot(infra, service);
    await sampling;
    const producedAt = performance.now();
    result.lagAtEnd = await lagOf(admin, db, schema, topic);
    result.maxLag = Math.max(result.lagAtEnd, ...lags);
    log(`${rate}/s: produced ${result.pacing.events} events (${result.pacing.achievedPerSecond}/s measured); lag ${result.lagAtEnd}; waiting for the rest`);

    let lag = result.lagAtEnd;
    while ((lag > 0 || probeWatcher.outstanding > 0) && performance.now() - producedAt < options.catchUpSeconds * 1000 && !service.exited && !interrupted) {
      await sleep(50);
      lag = await lagOf(admin, db, schema, topic);
    }
    if (lag === 0) result.caughtUpSeconds = Math.round(performance.now() - producedAt) / 1000;
    await sleep(options.pollEveryMs * 3); // the watcher's last look
    result.polling = await probeWatcher.stop();
    result.latency = summarizeLatency(probes);

    const start = window.start;
    if (start) {
      const seconds = (end.at - start.at) / 1000;
      const bench = process.cpuUsage(start.bench);
      result.resources = {
        seconds: Math.round(seconds * 10) / 10,
        reportingCpuSeconds: end.reporting.size > 0 ? cpuSpent(start.reporting, end.reporting) : undefined,
        postgresCpuSeconds: end.postgres.size > 0 ? cpuSpent(start.postgres, end.postgres) : undefined,
        kafkaCpuSeconds: end.kafka.size > 0 ? cpuSpent(start.kafka, end.kafka) : undefined,
        benchCpuSeconds: Math.round((bench.user + bench.system) / 10_000) / 100,
        hostBusy: busyShare(start.host, end.host),
      };
    }

    if (result.pacing.failures.length > 0) result.problems.push(...result.pacing.failures.slice(0, 3));
    if (service.exited) result.problems.push('the reporting service exited during the run');
    if (lag > 0) result.problems.push(`${lag} events still not applied ${options.catchUpSeconds} s after producing stopped`);
    if (result.latency.seen < result.latency.probes) result.problems.push(`${result.latency.probes - result.latency.seen} probes never seen`);
    if (result.polling.errors > 0) result.problems.push(`${result.polling.errors} polls failed (${result.polling.lastError})`);
    const verification = await verifyTotals(db, kafka, schema, schedule.expected);
    result.problems.push(...verification.problems);
    result.facts = { ...verification.facts, events: schedule.slots.length, probeEveryEvents: schedule.probeInterval };
    result.check = verification.check;
    result.ok = result.problems.length === 0;
  } catch (error) {
    result.problems.push(`failed: ${(error as Error).message}`);
  } finally {
    await watcher?.stop();
    await resources.service?.stop();
    resources.service = undefined;
    await kafka.close();
  }
  return result;
}

async function main(): Promise<number> {
  const options = optionsOrExitCode(parseOptions, USAGE);
  if (typeof options === 'number') return options;
  resources.keep = options.keep;
  // kafkajs speaks through Nest's logger here (KafkaClient): its debug notes are not results.
  Logger.overrideLogger(['error', 'warn']);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const startedAt = new Date();
  const machine = describeMachine();
  const infra = (resources.infra = await acquireInfra(log));
  await buildServices(log);
  const db = (resources.db = new Client({ connectionString: infra.databaseUrl, application_name: 'niryat-bench' }));
  await db.connect();
  // The poller has a connection of its own, so it never queues behind the lag sampler.
  const pollDb = (resources.pollDb = new Client({ connectionString: infra.databaseUrl, application_name: 'niryat-bench-poll' }));
  await pollDb.connect();
  resources.kafka = new KafkaClient({ brokers: infra.kafkaBrokers.split(','), clientId: 'niryat-bench' });
  const postgresVersion = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  const run = `${process.pid}-${randomBytes(2).toString('hex')}`;
  resources.namespacePrefix = `bench-${run}-`;

  log(
    `rates ${options.rates.join(', ')} events/s, ${options.warmupSeconds} s warm-up + ${options.seconds} s measured each, ` +
      `a probe every ${options.probeEveryMs} ms, polled every ${options.pollEveryMs} ms (${options.observe})`,
  );
  const results: RateRun[] = [];
  for (const rate of options.rates) {
    if (interrupted) break;
    const result = await runRate(rate, options, run, infra, db, pollDb);
    const l = result.latency;
    log(`${rate}/s: ${result.ok ? `p50 ${l?.p50Ms} ms, p99 ${l?.p99Ms} ms, max ${l?.maxMs} ms; ${result.check}` : `FAILED: ${result.problems.join('; ')}`}`);
    results.push(result);
  }

  const report: FreshnessReport = {
    benchmark: 'reporting freshness: ExportRecorded to export totals',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    environment: {
      ...machine,
      loadAverageAtEnd: loadavg(),
      kafka: `${infra.kafkaVersion}${infra.ownDir ? '' : ' (the repo infrastructure’s; KAFKA_BROKERS given)'}`,
      postgres: postgresVersion,
    },
    parameters: {
      rates: options.rates,
      warmupSeconds: options.warmupSeconds,
      seconds: options.seconds,
      probeEveryMs: options.probeEveryMs,
      pollEveryMs: options.pollEveryMs,
      observe: options.observe,
      sellers: options.sellers,
      seed: options.seed,
      partitions: EXPORT_PARTITIONS,
      serviceEnv: options.serviceEnv,
      infra: infra.ownDir ? `own (${infra.ownDir.replace(`${REPO_ROOT}/`, '')})` : 'KAFKA_BROKERS/DATABASE_URL',
    },
    results,
    verdict: verdictOf(results),
    notes: [
      `latency = the end of the first ${options.observe === 'db' ? 'read of export_totals' : 'GET /v1/reports/exports'} that counts a probe − the start of the send that carried it; overstated by at most one poll interval and one read`,
      'probes: ExportRecorded of dedicated sellers (one per partition), each alone in its month, so its row counts exactly its probes; part of the rate',
      'the service: the compiled reporting service started as npm start does, its consumer (one group for every view) and the outbox relay on',
      `lag = events on the topic not yet applied by ${REPORTING_GROUP} (its stored offsets); max lag sampled every ${LAG_SAMPLE_MS / 1000} s`,
      'producer, poller and lag sampler share the machine with the service (bench CPU); the exports service before it is not measured here (bench:exports)',
      `target: ${TARGET.latencyMs} ms at ${TARGET.eventsPerSecond} events/s`,
    ],
  };
  const out = options.out ?? join(REPO_ROOT, 'artifacts', `bench-freshness-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  process.stdout.write(formatReport(report));
  writeReport(out, report);
  process.stdout.write(`results written to ${out.replace(`${REPO_ROOT}/`, '')}\n`);
  const allOk = results.length === options.rates.length && results.every((r) => r.ok);
  await cleanUp(!allOk);
  return allOk ? 0 : 1;
}

main().then(
  (code) => {
    if (!interrupted) process.exit(code);
  },
  async (error: unknown) => {
    if (interrupted) return;
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    await cleanUp(true).catch(() => undefined);
    process.exit(1);
  },
);
