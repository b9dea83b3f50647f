import { randomBytes } from 'node:crypto';

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
