import { rmSync } from 'node:fs';
import { join } from 'node:path';

interface InfraInfo {
  dir: string;
  kafka: { brokers: string; pid: number };
  postgres: { url: string; pid: number | null };
}
interface InfraScripts {
  startInfra(options: { profile: 'test'; dir: string; log?: (line: string) => void }): Promise<InfraInfo>;
  stopInfra(options: { profile: 'test'; dir: string }): Promise<{ stoppedKafka: boolean; stoppedPostgres: boolean }>;
}
interface KafkaScripts {
  kafkaVersion(): string;
}

/* The infrastructure scripts are plain JavaScript shared with `npm start` and `npm test`. */
const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const INFRA_DIR = join(REPO_ROOT, 'tools', 'infra');
// Loaded when a bench asks for infrastructure, not whenever a test imports @niryat/testing.
const infraScripts = () => require(join(INFRA_DIR, 'index.js')) as InfraScripts;
const kafkaScripts = () => require(join(INFRA_DIR, 'kafka.js')) as KafkaScripts;

export interface BenchInfra {
  kafkaBrokers: string;
  databaseUrl: string;
  /** Set when the bench started its own Kafka and Postgres (and stops them at the end). */
  ownDir?: string;
  /** The Kafka release the repo's infrastructure runs (the broker does not tell its version). */
  kafkaVersion: string;
  /** Own infrastructure only: the broker's JVM and the postmaster, for CPU accounting. */
  kafkaPid?: number;
  postgresPid?: number;
  stop(options: { removeData: boolean }): Promise<void>;
}

/**
 * For a benchmark: KAFKA_BROKERS and DATABASE_URL when both are set; otherwise a test-profile Kafka
 * and Postgres of the bench's own in `.local/bench-<pid>` (a DATABASE_URL alone is used instead of a local Postgres,
 * as `startInfra` does everywhere).
 */
export async function acquireInfra(log: (line: string) => void): Promise<BenchInfra> {
  const kafkaVersion = kafkaScripts().kafkaVersion();
  const { KAFKA_BROKERS, DATABASE_URL } = process.env;
  if (KAFKA_BROKERS && DATABASE_URL) {
    log(`using KAFKA_BROKERS=${KAFKA_BROKERS} and DATABASE_URL from the environment`);
    return { kafkaBrokers: KAFKA_BROKERS, databaseUrl: DATABASE_URL, kafkaVersion, stop: async () => undefined };
  }
  const dir = join(REPO_ROOT, '.local', `bench-${process.pid}`);
  log(`starting Kafka and Postgres (test profile) in ${dir}`);
  let stopped: Promise<void> | undefined;
  const stop = ({ removeData }: { removeData: boolean }): Promise<void> =>
    (stopped ??= (async () => {
      log(`stopping the bench's Kafka and Postgres (${dir})`);
      await infraScripts().stopInfra({ profile: 'test', dir });
      if (removeData) rmSync(dir, { recursive: true, force: true });
    })());
  try {
    const info = await infraScripts().startInfra({ profile: 'test', dir, log: (line) => log(`infra: ${line}`) });
    return {
      kafkaBrokers: KAFKA_BROKERS || info.kafka.brokers,
      databaseUrl: info.postgres.url,
      ownDir: dir,
      kafkaVersion,
      kafkaPid: KAFKA_BROKERS ? undefined : info.kafka.pid,
      postgresPid: info.postgres.pid ?? undefined,
      stop,
    };
  } catch (error) {
    await stop({ removeData: false }).catch(() => undefined);
    throw error;
  }
}

/**
 * What a bench run on shared infrastructure (KAFKA_BROKERS / DATABASE_URL given) must not leave
 * behind: its schemas and the topics of its namespace. Best effort: a clean-up never fails a run.
 */
export async function dropBenchNamespace(
  db: { query(sql: string): Promise<unknown> } | undefined,
  kafka: { admin(): Promise<{ listTopics(): Promise<string[]>; deleteTopics(options: { topics: string[] }): Promise<unknown> }> } | undefined,
  schemas: readonly string[],
  namespacePrefix: string | undefined,
): Promise<void> {
  for (const schema of schemas) await db?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  if (kafka && namespacePrefix) {
    const admin = await kafka.admin();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(namespacePrefix));
    if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
  }
}
