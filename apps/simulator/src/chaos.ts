import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from './random';
import { simulate, SimulationRecord } from './simulation';
import { Stack } from './stack';
import { verify, VerifyReport } from './verify';

/* The infrastructure scripts `npm start` uses (plain JavaScript under tools/). */
const TOOLS = join(__dirname, '..', '..', '..', 'tools');
const kafkaInfra = require(join(TOOLS, 'infra', 'kafka.js')) as {
  startKafka(options: { dataDir: string; port: number; controllerPort: number }): Promise<{ brokers: string }>;
  stopKafka(options: { dataDir: string }): Promise<unknown>;
};
const postgresInfra = require(join(TOOLS, 'infra', 'postgres.js')) as {
  startPostgres(options: { dataDir: string; port: number }): Promise<{ url: string }>;
  stopPostgres(options: { dataDir: string }): Promise<unknown>;
};
const proc = require(join(TOOLS, 'infra', 'proc.js')) as { findFreePort(): Promise<number> };

export type FaultKind = 'kill-exports' | 'kill-reporting' | 'kill-onboarding' | 'restart-kafka' | 'restart-postgres' | 'pause-replica';

export interface ChaosOptions {
  seed: number;
  /** After the verdict, replace Kafka with an empty cluster under the kept database: the consumers must refuse loudly. */
  wipeKafka: boolean;
  orders: number;
  /** Events per second the simulator offers. */
  rate: number;
  /** How many of each fault, spread over the stream at random moments. */
  faults: Record<FaultKind, number>;
  log: (line: string) => void;
}

export interface ChaosReport {
  record: SimulationRecord;
  /** The wipe scenario: each consumer service's /health after Kafka's data was replaced (503 naming positions), or null when not run. */
  wiped: { instance: string; status: number; refusing: string[] }[] | null;
  faults: Record<FaultKind, number>;
  verify: VerifyReport;
  seconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A simulator run with duplicates, shuffles and garbage on, against a platform of its own (its own
 * Kafka broker and PostgreSQL, the four services, exports and reporting with two replicas in one
 * group), during which faults strike at random moments: services SIGKILLed mid-batch and started
 * again, the broker and the database restarted, a replica paused past its session timeout (a forced
 * rebalance). At the end the platform must show exactly the simulator's truth.
 */
export async function chaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const { log } = options;
  const random = new Random(options.seed).fork('chaos');
  const dir = mkdtempSync(join(tmpdir(), 'niryat-chaos-'));
  const kafkaDir = join(dir, 'kafka');
  const postgresDir = join(dir, 'postgres');
  const ports = { kafka: await proc.findFreePort(), controller: await proc.findFreePort(), postgres: await proc.findFreePort() };
  let stack: Stack | undefined;
  try {
    const { brokers } = await kafkaInfra.startKafka({ dataDir: kafkaDir, port: ports.kafka, controllerPort: ports.controller });
    const { url: databaseUrl } = await postgresInfra.startPostgres({ dataDir: postgresDir, port: ports.postgres });
    log(`own Kafka ${brokers} and PostgreSQL on ${ports.postgres} (${dir})`);
    stack = await Stack.start({ kafkaBrokers: brokers, databaseUrl, namespace: 'chaos', replicas: { exports: 2, reporting: 2 }, log });
    const { instances, target } = stack;
    const running = stack;

    // The faults, in a random order, at random moments of the stream's expected length.
    const schedule = random.shuffle(Object.entries(options.faults).flatMap(([kind, n]) => Array.from({ length: n }, () => kind as FaultKind)));
    const injected = Object.fromEntries(Object.keys(options.faults).map((k) => [k, 0])) as Record<FaultKind, number>;
    const expectedSeconds = (options.orders * 3.8) / options.rate;
    let streaming = false;
    const inject = async (kind: FaultKind) => {
      const pick = (service: string) => random.pick(instances.filter((i) => i.spec.name === service));
      if (kind.startsWith('kill-')) {
        const instance = pick(kind.slice('kill-'.length));
        await running.kill(instance);
        await sleep(random.int(500, 2_000));
        running.launch(instance);
        log(`fault: SIGKILL ${instance.name}, started again`);
      } else if (kind === 'restart-kafka') {
        await kafkaInfra.stopKafka({ dataDir: kafkaDir });
        await sleep(random.int(1_000, 3_000));
        await kafkaInfra.startKafka({ dataDir: kafkaDir, port: ports.kafka, controllerPort: ports.controller });
        log('fault: Kafka broker stopped and started again');
      } else if (kind === 'restart-postgres') {
        await postgresInfra.stopPostgres({ dataDir: postgresDir });
        await sleep(random.int(1_000, 3_000));
        await postgresInfra.startPostgres({ dataDir: postgresDir, port: ports.postgres });
        log('fault: PostgreSQL stopped (fast) and started again');
      } else if (kind === 'pause-replica') {
        const instance = pick(random.pick(['exports', 'reporting']));
        instance.child?.kill('SIGSTOP');
        await sleep(35_000); // past the consumers' 30 s session timeout: the group rebalances without it
        instance.child?.kill('SIGCONT');
        log(`fault: ${instance.name} paused 35 s (past its session timeout) and resumed`);
      }
      injected[kind]++;
    };
    const faulting = (async () => {
      while (!streaming) await sleep(100);
      for (const kind of schedule) {
        await sleep(random.int(500, Math.max(1_000, Math.round((expectedSeconds * 1000) / (schedule.length + 1)))));
        await inject(kind);
      }
    })();

    const record = await simulate(target, {
      seed: options.seed,
      tag: `c${options.seed}`,
      sellers: 30,
      orders: options.orders,
      rate: options.rate,
      windowDays: 120,
      duplicates: 0.05,
      reorder: 0.2,
      garbage: 0.01,
      transport: 'mixed',
      lateLinks: 0.1,
      keysFile: join(dir, 'partner-keys.json'),
      recordFile: join(dir, 'record.json'),
      log,
      onStreaming: () => {
        streaming = true;
      },
    });
    await faulting;
    // Everything back before judging: instances that a fault left down are started again.
    await stack.restoreAll(180_000);
    log('every instance healthy again: verifying');
    const report = await verify(target, record, 300, log);
    const wiped = options.wipeKafka ? await wipeKafka() : null;
    return { record, wiped, faults: injected, verify: report, seconds: (Date.now() - started) / 1000 };

    /**
     * `rm -rf` of Kafka's data with the database kept, and the services started again as an operator
     * would: every stored position now belongs to another cluster, and each consumer must stop and
     * say so on /health (503, the partition and both offsets), never skip to the new log's offsets.
     */
    async function wipeKafka(): Promise<{ instance: string; status: number; refusing: string[] }[]> {
      await running.stop();
      await kafkaInfra.stopKafka({ dataDir: kafkaDir });
      rmSync(kafkaDir, { recursive: true, force: true });
      await kafkaInfra.startKafka({ dataDir: kafkaDir, port: ports.kafka, controllerPort: ports.controller });
      instances.forEach((i) => running.launch(i));
      log('Kafka replaced by an empty cluster, services started again: waiting for their consumers to refuse');
      const consumersOf = instances.filter((i) => ['exports', 'reporting'].includes(i.spec.name));
      const deadline = Date.now() + 120_000;
      const seen = new Map<string, { instance: string; status: number; refusing: string[] }>();
      while (Date.now() < deadline && seen.size < consumersOf.length) {
        for (const instance of consumersOf) {
          const answer = await fetch(`http://127.0.0.1:${instance.port}/health`, { signal: AbortSignal.timeout(3_000) }).catch(() => undefined);
          if (!answer) continue;
          const body = (await answer.json().catch(() => ({}))) as { details?: { consumers?: { status?: string; partitions?: { group: string; topic: string; partition: number; kind: string }[] } } };
          const refusing = (body.details?.consumers?.partitions ?? []).map((p) => `${p.group} ${p.topic}[${p.partition}] ${p.kind}`);
          if (answer.status === 503 && refusing.length > 0) seen.set(instance.name, { instance: instance.name, status: answer.status, refusing });
        }
        await sleep(1_000);
      }
      for (const w of seen.values()) log(`after the wipe ${w.instance}: /health ${w.status}, refusing ${w.refusing.length} partition(s), e.g. ${w.refusing[0]}`);
      return consumersOf.map((i) => seen.get(i.name) ?? { instance: i.name, status: 200, refusing: [] });
    }
  } catch (error) {
    throw stack ? stack.explained(error) : error;
  } finally {
    await stack?.stop();
    await kafkaInfra.stopKafka({ dataDir: kafkaDir }).catch(() => undefined);
    await postgresInfra.stopPostgres({ dataDir: postgresDir }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The run's figures as a table: what was sent, what the platform refused by reason, the faults, the differences. */
export function chaosTable(report: ChaosReport): string {
  const { record, faults, verify: v } = report;
  const lines = [
    ['events sent', String(record.sent.events), `${record.sent.kafka} on Kafka, ${record.sent.http} over signed HTTP`],
    ['duplicates sent', String(record.sent.duplicates), 'same event id again, either way'],
    ['orders shuffled', String(record.sent.shuffledOrders), 'their events in a random order'],
    ['garbage sent', String(Object.values(record.sent.garbage).reduce((a, b) => a + (b ?? 0), 0)), Object.entries(record.sent.garbage).map(([k, n]) => `${k} ${n}`).join(', ')],
    ['orders counted', String(record.options.orders), `${record.expected.rows.length} report rows expected`],
    ...Object.entries(record.expected.deadLetters).map(([code, n]) => [`dead letters ${code}`, String(n), 'expected and found']),
    ...Object.entries(faults).map(([kind, n]) => [`fault ${kind}`, String(n), '']),
    ['differences from the truth', String(v.differences.length), v.differences.length === 0 ? 'none' : v.differences.slice(0, 3).join(' | ')],
    ...(report.wiped === null
      ? []
      : [['consumers refusing after the wipe', String(report.wiped.filter((w) => w.status === 503 && w.refusing.length > 0).length), `of ${report.wiped.length} (${report.wiped.map((w) => `${w.instance} ${w.status}`).join(', ')})`]]),
    ['seconds', report.seconds.toFixed(0), ''],
  ];
  const width = Math.max(...lines.map((l) => l[0].length));
  const valueWidth = Math.max(...lines.map((l) => l[1].length));
  return lines.map(([a, b, c]) => `${a.padEnd(width)}  ${b.padStart(valueWidth)}  ${c}`.trimEnd()).join('\n');
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const long = argv.includes('--long');
  const seedAt = argv.indexOf('--seed');
  const options: ChaosOptions = long
    ? { seed: seedAt >= 0 ? Number(argv[seedAt + 1]) : 1, wipeKafka: true, orders: 270_000, rate: 4_000, faults: { 'kill-exports': 6, 'kill-reporting': 6, 'kill-onboarding': 5, 'restart-kafka': 3, 'restart-postgres': 3, 'pause-replica': 2 }, log: (l) => process.stdout.write(`[chaos] ${l}\n`) }
    : { seed: seedAt >= 0 ? Number(argv[seedAt + 1]) : 1, wipeKafka: true, orders: 6_000, rate: 600, faults: { 'kill-exports': 2, 'kill-reporting': 2, 'kill-onboarding': 1, 'restart-kafka': 1, 'restart-postgres': 1, 'pause-replica': 0 }, log: (l) => process.stdout.write(`[chaos] ${l}\n`) };
  chaos(options).then(
    (report) => {
      for (const line of report.verify.differences) process.stdout.write(`[chaos] DIFFERENCE ${line}\n`);
      process.stdout.write(`\n${chaosTable(report)}\n`);
      const refused = report.wiped === null || report.wiped.every((w) => w.status === 503 && w.refusing.length > 0);
      process.exit(report.verify.differences.length === 0 && refused ? 0 : 1);
    },
    (error: unknown) => {
      process.stderr.write(`[chaos] ${(error as Error).message}\n`);
      process.exit(2);
    },
  );
}
