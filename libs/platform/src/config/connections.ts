import { MessagingConfig } from '@niryat/messaging';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions, TlsOptions } from 'node:tls';
import { ServiceEnv } from './service-env';

type KafkaEnv = Pick<
  ServiceEnv,
  | 'KAFKA_BROKERS'
  | 'KAFKA_TOPIC_NAMESPACE'
  | 'KAFKA_REPLICATION_FACTOR'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
  | 'KAFKA_SASL_PASSWORD_FILE'
  | 'KAFKA_SSL'
  | 'KAFKA_SSL_CA'
  | 'KAFKA_SSL_CERT'
  | 'KAFKA_SSL_KEY'
>;

/** The Kafka client settings of a service (or a tool speaking as one), from its validated environment. */
export function messagingConfigOf(name: string, env: KafkaEnv): MessagingConfig {
  return {
    brokers: env.KAFKA_BROKERS.split(','),
    clientId: `niryat-${name}`,
    topicNamespace: env.KAFKA_TOPIC_NAMESPACE,
    replicationFactor: env.KAFKA_REPLICATION_FACTOR,
    ssl: kafkaTls(env),
    sasl: kafkaSasl(env),
  };
}

function kafkaTls(env: KafkaEnv): ConnectionOptions | undefined {
  if (!env.KAFKA_SSL && env.KAFKA_SSL_CA === undefined) return undefined;
  return {
    // Node checks the broker's certificate and its name (host of KAFKA_BROKERS) by default.
    rejectUnauthorized: true,
    ...(env.KAFKA_SSL_CA !== undefined ? { ca: readFileSync(env.KAFKA_SSL_CA, 'utf8') } : {}),
    ...(env.KAFKA_SSL_CERT !== undefined && env.KAFKA_SSL_KEY !== undefined
      ? { cert: readFileSync(env.KAFKA_SSL_CERT, 'utf8'), key: readFileSync(env.KAFKA_SSL_KEY, 'utf8') }
      : {}),
  };
}

function kafkaSasl(env: KafkaEnv): MessagingConfig['sasl'] {
  if (env.KAFKA_SASL_MECHANISM === undefined || env.KAFKA_SASL_USERNAME === undefined) return undefined;
  const { KAFKA_SASL_PASSWORD: password, KAFKA_SASL_PASSWORD_FILE: file } = env;
  // kafkajs reads the password at every (re)connect: from a file, a rotated secret (Strimzi
  // rewrites the mounted Secret) is used from the next connection on, without a restart.
  return {
    mechanism: env.KAFKA_SASL_MECHANISM,
    username: env.KAFKA_SASL_USERNAME,
    get password(): string {
      return file !== undefined ? readFileSync(file, 'utf8').trim() : (password ?? '');
    },
  };
}

type DatabaseEnv = Pick<ServiceEnv, 'DATABASE_URL' | 'DATABASE_SSL_MODE' | 'DATABASE_SSL_CA'>;

/**
 * TLS options for the pg driver: verify-full checks the chain (DATABASE_SSL_CA, else the system's)
 * and the host name; require only encrypts. Undefined leaves it to DATABASE_URL's sslmode.
 */
export function databaseTlsOf(env: DatabaseEnv): TlsOptions | false | undefined {
  switch (env.DATABASE_SSL_MODE) {
    case undefined:
      return undefined;
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, ...(env.DATABASE_SSL_CA !== undefined ? { ca: readFileSync(env.DATABASE_SSL_CA, 'utf8') } : {}) };
  }
}
