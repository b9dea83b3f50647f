import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min, validateSync, ValidateBy } from 'class-validator';
import { describeCredentialProblems, readCredentialsConfig } from '@niryat/auth';
import { flattenValidationErrors } from '@niryat/contracts';
import { DEAD_LETTER_RETENTION_DAYS } from '@niryat/messaging';

const HOST_PORT_LIST = /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/;

const credentialProblems = (value: unknown) => (typeof value === 'string' ? readCredentialsConfig(value).problems : ['must be a string']);

/** Every bad `AUTH_CREDENTIALS` entry by position and id; the message never contains a hash. */
function IsCredentialList() {
  return ValidateBy({
    name: 'isCredentialList',
    validator: {
      validate: (value: unknown) => credentialProblems(value).length === 0,
      defaultMessage: (args) => describeCredentialProblems(credentialProblems(args?.value)),
    },
  });
}

/**
 * Configuration every service reads from its environment. Each app extends it with its own
 * default port and settings; `loadEnv` refuses to boot on anything missing or malformed.
 */
export class ServiceEnv {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: string = 'development';

  @IsInt()
  @Min(1)
  @Max(65535)
  PORT!: number;

  /** Interface to listen on: 0.0.0.0 in containers, 127.0.0.1 for a local-only run. */
  @Matches(/^[A-Za-z0-9.:-]+$/, { message: 'HOST must be a host name or IP address' })
  HOST: string = '0.0.0.0';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL!: string;

  /** The Postgres schema the service owns; defaults to the service name. */
  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DB_SCHEMA must be a lower-case SQL identifier' })
  DB_SCHEMA?: string;

  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE: number = 10;

  /** Runs pending migrations at boot; off in Kubernetes, where a Job runs them once per release. */
  @IsBoolean()
  DB_MIGRATE_ON_START: boolean = false;

  @Matches(HOST_PORT_LIST, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS!: string;

  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,62}$/, { message: 'KAFKA_TOPIC_NAMESPACE must be lower-case letters, digits, ., _ or -' })
  KAFKA_TOPIC_NAMESPACE?: string;

  @IsInt()
  @Min(1)
  @Max(5)
  KAFKA_REPLICATION_FACTOR: number = 1;

  @IsInt()
  @Min(10)
  @Max(60_000)
  OUTBOX_POLL_INTERVAL_MS: number = 100;

  /** Minutes between retention runs (pruning the inbox and published outbox rows, and the service's own); 0 turns retention off. */
  @IsInt()
  @Min(0)
  @Max(1_440)
  RETENTION_INTERVAL_MINUTES: number = 60;

  /**
   * Days an inbox entry is kept after it was applied (and always while its record is not below the
   * group's stored offset): the window in which the same event published again is still a
   * duplicate. At least a day longer than dead letters are kept, so a replayed dead letter never
   * reaches a group that applied the original and has forgotten it.
   */
  @IsNumber()
  @Min(DEAD_LETTER_RETENTION_DAYS + 1, {
    message: `INBOX_RETENTION_DAYS must be at least ${DEAD_LETTER_RETENTION_DAYS + 1}: dead letters are kept ${DEAD_LETTER_RETENTION_DAYS} days, and one replayed after the inbox forgot its event would be applied again by every group that had applied it`,
  })
  @Max(3_650)
  INBOX_RETENTION_DAYS: number = 35;

  /** Days a published outbox row is kept (for an operator's look at what was sent). */
  @IsNumber()
  @Min(0)
  @Max(3_650)
  OUTBOX_RETENTION_DAYS: number = 7;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /**
   * Who may call the HTTP API: comma-separated `<id>:<role>:<sha256hex>[:<scope>]` (README,
   * "Authentication"). Hashes only; empty means every route that is not public answers 401.
   */
  @IsOptional()
  @IsCredentialList()
  AUTH_CREDENTIALS?: string;
}

export class EnvValidationError extends Error {}

const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no', '']);

/** Coerces env strings to the declared types (numbers, booleans) before validation. */
function coerce(target: object, source: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(source)) {
    const trimmed = raw?.trim();
    // Empty is unset, as docker compose's `${NAME:-}` passes an unset variable on: the default
    // applies, an optional one stays off, a required one is reported as not set.
    if (trimmed === undefined || trimmed === '') continue;
    const current = (target as Record<string, unknown>)[key];
    const declared = Reflect.getMetadata?.('design:type', target, key);
    if (declared === Number || typeof current === 'number') out[key] = Number(trimmed);
    else if (declared === Boolean || typeof current === 'boolean') {
      const lower = trimmed.toLowerCase();
      out[key] = TRUE_WORDS.has(lower) ? true : FALSE_WORDS.has(lower) ? false : trimmed;
    } else out[key] = trimmed;
  }
  return out;
}

/** Reads and validates the environment into `envClass`, or throws one message naming every bad variable. */
export function loadEnv<T extends ServiceEnv>(
  envClass: new () => T,
  serviceName: string,
  source: Record<string, string | undefined> = process.env,
): T {
  const prototype = new envClass();
  const relevant = Object.fromEntries(Object.entries(source).filter(([key]) => /^[A-Z][A-Z0-9_]*$/.test(key)));
  const instance = plainToInstance(envClass, coerce(prototype, relevant), { exposeDefaultValues: true });
  const errors = flattenValidationErrors(validateSync(instance, { whitelist: false }));
  if (errors.length > 0) {
    const lines = errors.map((e) => `  - ${e.field}: ${e.message}${!source[e.field]?.trim() ? ' (not set)' : ''}`);
    throw new EnvValidationError(`${serviceName}: invalid configuration, refusing to start:\n${lines.join('\n')}`);
  }
  return instance;
}
