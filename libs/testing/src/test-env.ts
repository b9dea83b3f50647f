import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A short random suffix, valid in schema names, topic names and group ids. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

export interface TestInfra {
  kafkaBrokers: string;
  databaseUrl: string;
}

/** The Kafka and Postgres of this test run, started by `npm test` or the jest global setup. */
export function testInfra(): TestInfra {
  const kafkaBrokers = process.env.KAFKA_BROKERS;
  const databaseUrl = process.env.DATABASE_URL;
  if (!kafkaBrokers || !databaseUrl) {
    throw new Error('KAFKA_BROKERS and DATABASE_URL are not set: run through `npm test` or jest with its global setup');
  }
  return { kafkaBrokers, databaseUrl };
}

/** The test broker's SASL_SSL listener and the local TLS, from the infra the run started (tools/infra). */
export interface SecureTestInfra {
  /** host:port of the SASL_SSL listener (SCRAM-SHA-512). */
  kafkaBrokers: string;
  /** PEM of the CA that signed the broker's and PostgreSQL's certificates. */
  caFile: string;
  /** The password file of a declared principal (libs/contracts/src/kafka-access.ts) or `admin`. */
  passwordFile(principal: string): string;
  /** Whether the test PostgreSQL speaks TLS (not when DATABASE_URL named an outside server). */
  postgresTls: boolean;
}

/**
 * The secure side of the test infrastructure. Throws, naming what is missing, when the run did not
 * start it (NIRYAT_TEST_INFRA_FILE is set by `npm test` and the jest global setup).
 */
export function secureTestInfra(): SecureTestInfra {
  const file = process.env.NIRYAT_TEST_INFRA_FILE;
  if (!file) throw new Error('NIRYAT_TEST_INFRA_FILE is not set: run through `npm test` or jest with its global setup, which start a broker with a SASL_SSL listener');
  const info = JSON.parse(readFileSync(file, 'utf8')) as {
    tls?: { caFile: string };
    kafka: { secure?: { brokers: string; caFile: string; users: Record<string, string> } | null };
    postgres: { tls?: boolean };
  };
  const secure = info.kafka.secure;
  if (!secure || !info.tls) throw new Error(`${file}: the test broker has no SASL_SSL listener (tools/infra/index.js starts one in the test profile)`);
  return {
    kafkaBrokers: secure.brokers,
    caFile: info.tls.caFile,
    passwordFile: (principal) => {
      const path = secure.users[principal];
      if (!path) throw new Error(`no SCRAM user '${principal}' on the test broker (users: ${Object.keys(secure.users).join(', ')})`);
      return path;
    },
    postgresTls: Boolean(info.postgres.tls),
  };
}

/**
 * Environment for one service under test, isolated from every other test file: its own schema
 * and its own topic namespace on the shared broker.
 */
export function serviceTestEnv(service: string, namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  const { kafkaBrokers, databaseUrl } = testInfra();
  return {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: kafkaBrokers,
    KAFKA_TOPIC_NAMESPACE: namespace,
    DB_SCHEMA: `${service}_${namespace.replace(/[^a-z0-9]/g, '_')}`,
    DB_MIGRATE_ON_START: 'true',
    LOG_LEVEL: 'warn',
    OUTBOX_POLL_INTERVAL_MS: '50',
    ...extra,
  };
}
