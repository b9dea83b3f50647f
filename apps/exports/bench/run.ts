import 'reflect-metadata';
import { MARKETPLACES, PARTNER_ORDERS_TOPICS, partnerOrdersTopic, TopicSpecs } from '@niryat/contracts';
import { KafkaClient } from '@niryat/messaging';
import { migrate, serviceDataSourceOptions } from '@niryat/persistence';
import { acquireInfra, dropBenchNamespace, BenchInfra, describeMachine, optionsOrExitCode, processTree } from '@niryat/testing';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { ChildConfig } from './child';
import { parseOptions, USAGE, VariantName } from './options';
import { BenchReport, formatReport, writeReport } from './report';
import { EXPORTS_MIGRATIONS } from './service';
import { CpuSources, killActiveVariant, runVariant, VariantRun } from './variant-runner';
import { byPartnerTopic, generateWorkload, PartnerRecord, seedDirectory, Workload } from './workload';

/**
 * `npm run bench:exports`: the exports service's partner-order consumer against the naive NestJS
 * way and kafkajs' own ceiling, each on its own copy of the same pre-produced events, one after the
 * other in one run. See apps/exports/bench/README.md for what is measured and how.
 */

const REPO_ROOT = join(__dirname, '..', '..', '..');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const PRODUCE_CHUNK = 2_000;
/** The Postgres application_name of each variant's connections. */
const APPLICATION_NAME: Record<VariantName, string | undefined> = { batch: 'niryat-exports', naive: 'niryat-bench-naive', ceiling: undefined };

interface Resources {
  infra?: BenchInfra;
  db?: Client;
  kafka?: KafkaClient;
  namespacePrefix?: string;
  schemas: string[];
  keep: boolean;
}

const resources: Resources = { schemas: [], keep: false };

/**
 * Drops what the run created (unless --keep) and stops infrastructure the bench started, removing
 * its data unless `keepOwnData` (a failed run keeps the broker and database logs for diagnosis).
 */
async function cleanUp(keepOwnData: boolean): Promise<void> {
  const { db, kafka, infra, namespacePrefix } = resources;
  if (!resources.keep && !resources.infra?.ownDir) {
    // On shared infrastructure: leave no schemas nor topics behind.
    await dropBenchNamespace(db, kafka, resources.schemas, namespacePrefix);
  }
  await db?.end().catch(() => undefined);
  await kafka?.close().catch(() => undefined);
  await infra?.stop({ removeData: !keepOwnData && !resources.keep });
}

let interrupted = false;
function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) return;
  interrupted = true;
  log(`${signal}: stopping`);
  killActiveVariant();
  cleanUp(false)
    .catch((error: unknown) => log(`clean-up failed: ${(error as Error).message}`))
    .finally(() => process.exit(130));
}

async function prepareSchema(databaseUrl: string, schema: string, db: Client, workload: Workload): Promise<void> {
  const dataSource = new DataSource(serviceDataSourceOptions({ url: databaseUrl, schema, migrations: EXPORTS_MIGRATIONS, applicationName: 'niryat-bench-setup' }));
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }
  await seedDirectory(db, schema, workload);
  await db.query(`ANALYZE "${schema}".seller_directory; ANALYZE "${schema}".marketplace_accounts`);
}

async function produceCopy(kafka: KafkaClient, namespace: string, records: PartnerRecord[]): Promise<void> {
  const namespaced = new KafkaClient({ ...kafka.config, topicNamespace: namespace });
  try {
    await namespaced.ensureTopics(TopicSpecs);
  } finally {
    await namespaced.close();
  }
  // Idempotent, so the retries kafkajs makes right after topic creation ("not the leader") never
  // write a record twice: every variant must read exactly the same records. Quiet for those retries.
  const quiet = new Kafka({ clientId: 'niryat-bench-setup', brokers: kafka.config.brokers, logLevel: logLevel.NOTHING, retry: { retries: 8 } });
  const producer = quiet.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < records.length; i += PRODUCE_CHUNK) {
      await producer.sendBatch({ acks: -1, topicMessages: byPartnerTopic(namespace, records.slice(i, i + PRODUCE_CHUNK)) });
    }
  } finally {
    await producer.disconnect();
  }
  const topics = MARKETPLACES.map((partner) => `${namespace}.${partnerOrdersTopic(partner)}`);
  const offsets = (await Promise.all(topics.map(async (topic) => (await kafka.admin()).fetchTopicOffsets(topic)))).flat();
  const onTopic = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  if (onTopic !== records.length) throw new Error(`${topics.join(', ')} hold ${onTopic} records after producing ${records.length}`);
}

async function main(): Promise<number> {
  const options = optionsOrExitCode(parseOptions, USAGE);
  if (typeof options === 'number') return options;
  resources.keep = options.keep;
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const startedAt = new Date();
  const machine = describeMachine();
  const infra = (resources.infra = await acquireInfra(log));
  const db = (resources.db = new Client({ connectionString: infra.databaseUrl, application_name: 'niryat-bench' }));
  await db.connect();
  const kafka = (resources.kafka = new KafkaClient({ brokers: infra.kafkaBrokers.split(','), clientId: 'niryat-bench' }));
  const postgresVersion = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;

  const run = `${process.pid}-${randomBytes(2).toString('hex')}`;
  const namespacePrefix = (resources.namespacePrefix = `bench-${run}-`);
  const namespaceOf = (variant: VariantName) => `${namespacePrefix}${variant}`;
  const schemaOf = (variant: VariantName) => `bench_${run.replace('-', '_')}_${variant}`;

  log(`workload: ${options.orders} orders × (placed + shipped), ${options.sellers} sellers, seed ${options.seed}, duplicates ${options.duplicates}`);
  const workload = generateWorkload(options);
  const records = workload.records.length;
  log(`setup (not measured): ${records} records per variant, a topic copy and a schema each`);
  for (const variant of options.variants) {
    const setupStart = Date.now();
    if (variant !== 'ceiling') {
      resources.schemas.push(schemaOf(variant));
      await prepareSchema(infra.databaseUrl, schemaOf(variant), db, workload);
    }
    await produceCopy(kafka, namespaceOf(variant), workload.records);
    log(`  ${variant}: topics ${namespaceOf(variant)}.niryat.partner.*.orders.v1${variant === 'ceiling' ? '' : `, schema ${schemaOf(variant)}`} ready in ${((Date.now() - setupStart) / 1000).toFixed(1)} s`);
  }

  const cpuSources = (variant: VariantName): CpuSources => ({
    // Own infrastructure: all of Postgres (postmaster, backends, WAL writer, checkpointer); else the variant's backends, if local.
    postgres: async () => {
      if (infra.postgresPid) return processTree(infra.postgresPid);
      if (!APPLICATION_NAME[variant]) return [];
      const { rows } = await db.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()`, [
        APPLICATION_NAME[variant],
      ]);
      return rows.map((r) => r.pid).filter((pid) => existsSync(`/proc/${pid}`));
    },
    kafka: () => (infra.kafkaPid ? [infra.kafkaPid] : []),
  });
  const profileRoot = join(REPO_ROOT, 'artifacts', `bench-exports-profile-${startedAt.toISOString().replace(/[:.]/g, '-')}`);

  const results: VariantRun[] = [];
  for (const variant of options.variants) {
    if (interrupted) break;
    log(`${variant}: running`);
    const config: ChildConfig = {
      variant,
      kafkaBrokers: infra.kafkaBrokers,
      databaseUrl: infra.databaseUrl,
      namespace: namespaceOf(variant),
      schema: schemaOf(variant),
      expectedRecords: records,
      serviceEnv: options.serviceEnv,
      profile: options.profile,
      experiments: variant === 'batch' ? options.experiments : {},
    };
    const result = await runVariant({
      config,
      expected: workload.expected,
      records,
      timeoutMs: options.timeoutSeconds * 1000,
      db,
      log,
      cpuSources: cpuSources(variant),
      profileDir: options.profile ? join(profileRoot, variant) : undefined,
    });
    log(`${variant}: ${result.ok ? `${result.eventsPerSecond} events/s (${result.seconds} s), ${result.check}` : `FAILED: ${result.problems.join('; ')}`}`);
    results.push(result);
  }

  const naive = results.find((r) => r.variant === 'naive' && r.ok)?.eventsPerSecond;
  const report: BenchReport = {
    benchmark: 'exports partner-order consumer: topic to committed exports',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    environment: {
      ...machine,
      kafka: `${infra.kafkaVersion}${infra.ownDir ? '' : ' (the repo infrastructure’s; KAFKA_BROKERS given)'}`,
      postgres: postgresVersion,
      loadAverageAtEnd: loadavg(),
    },
    parameters: {
      orders: options.orders,
      sellers: options.sellers,
      duplicates: options.duplicates,
      seed: options.seed,
      partitions: TopicSpecs.filter((s) => (PARTNER_ORDERS_TOPICS as readonly string[]).includes(s.name)).reduce((sum, s) => sum + s.partitions, 0),
      serviceEnv: options.serviceEnv,
      profiled: options.profile,
      ...(Object.keys(options.experiments).length > 0 ? { whatIf: `${JSON.stringify(options.experiments)} forced onto the batch consumer (NOT the shipped settings)` } : {}),
      infra: infra.ownDir ? `own (${infra.ownDir.replace(`${REPO_ROOT}/`, '')})` : 'KAFKA_BROKERS/DATABASE_URL',
    },
    workload: {
      sellers: workload.sellers.length,
      accounts: workload.accounts.length,
      orders: workload.expected.orders,
      events: workload.expected.events,
      records,
      recordBytes: workload.bytes,
      currencies: Object.keys(workload.expected.valueMinorByCurrency),
    },
    results: results.map((r) => ({ ...r, timesNaive: naive && r.eventsPerSecond ? Math.round((r.eventsPerSecond / naive) * 10) / 10 : undefined })),
    notes: [
      'events/s = records on the topic / seconds from the consumer group joined to the last expected export committed (polled every 100 ms); ceiling: to the last record received',
      'join s = consumer start to group joined (not in seconds)',
      'batch is the real service: both consumers and the outbox relay publishing ExportRecorded run, as in production',
      'naive does less than the service: no outbox/ExportRecorded, no stored offsets, no dead-letter publishing',
      'variants run one after another, each in its own process, on its own topic copy and schema',
    ],
  };
  const out = options.out ?? join(REPO_ROOT, 'artifacts', `bench-exports-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  process.stdout.write(formatReport(report));
  writeReport(out, report);
  process.stdout.write(`results written to ${out.replace(`${REPO_ROOT}/`, '')}\n`);
  const allOk = results.length === options.variants.length && results.every((r) => r.ok);
  await cleanUp(!allOk);
  return allOk ? 0 : 1;
}

main().then(
  (code) => {
    if (!interrupted) process.exit(code);
  },
  async (error: unknown) => {
    if (interrupted) return; // the signal handler cleans up and exits
    log(`failed: ${(error as Error).stack ?? String(error)}`);
    await cleanUp(true).catch(() => undefined);
    process.exit(1);
  },
);
