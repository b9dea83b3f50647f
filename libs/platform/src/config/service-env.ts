import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, validateSync, ValidateBy, ValidateIf } from 'class-validator';
import { readFileSync } from 'node:fs';
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

/** Why a file cannot be read, or undefined when it can. */
function unreadable(path: unknown): string | undefined {
  if (typeof path !== 'string' || path === '') return 'must be a file path';
  try {
    readFileSync(path);
    return undefined;
  } catch (error) {
    return `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): ${path}`;
  }
}

/** A path to a file this process can read. */
function IsReadableFile() {
  return ValidateBy({
    name: 'isReadableFile',
    validator: {
      validate: (value: unknown) => unreadable(value) === undefined,
      defaultMessage: (args) => `${args?.property} ${unreadable(args?.value)}`,
    },
  });
}

/** Why a file is not a PEM file holding a `-----BEGIN <label>` block, or undefined when it is. */
function notPem(path: unknown, label: string): string | undefined {
  const problem = unreadable(path);
  if (problem) return problem;
  const text = readFileSync(path as string, 'utf8');
  return new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(text) ? undefined : `is not a PEM file with a ${label} (${path as string})`;
}

/** A readable PEM file holding a certificate or a private key. */
function IsPemFile(label: 'CERTIFICATE' | 'PRIVATE KEY') {
  return ValidateBy({
    name: 'isPemFile',
    validator: {
      validate: (value: unknown) => notPem(value, label) === undefined,
      defaultMessage: (args) => `${args?.property} ${notPem(args?.value, label)}`,
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

  /**
   * SASL mechanism to authenticate to Kafka with (`scram-sha-512` on the platform's secured
   * clusters); unset: no SASL. Needs KAFKA_SASL_USERNAME and a password.
   */
  @IsOptional()
  @IsIn(['scram-sha-512', 'scram-sha-256', 'plain'])
  KAFKA_SASL_MECHANISM?: 'scram-sha-512' | 'scram-sha-256' | 'plain';

  @ValidateIf((env: ServiceEnv) => env.KAFKA_SASL_MECHANISM !== undefined || env.KAFKA_SASL_USERNAME !== undefined)
  @Matches(/^[A-Za-z0-9._-]{1,128}$/, { message: 'KAFKA_SASL_USERNAME must be set with KAFKA_SASL_MECHANISM: the principal, e.g. niryat-exports' })
  KAFKA_SASL_USERNAME?: string;

  /** The SASL password itself; prefer KAFKA_SASL_PASSWORD_FILE (a mounted secret, read at every connect, so a rotated one is picked up). */
  @IsOptional()
  @IsString()
  KAFKA_SASL_PASSWORD?: string;

  @IsOptional()
  @IsReadableFile()
  KAFKA_SASL_PASSWORD_FILE?: string;

  /** TLS to the brokers; on by itself when KAFKA_SSL_CA is given. */
  @IsBoolean()
  KAFKA_SSL: boolean = false;

  /** PEM file of the certificate authority the brokers' certificates are checked against (else the system's). */
  @IsOptional()
  @IsPemFile('CERTIFICATE')
  KAFKA_SSL_CA?: string;

  /** PEM client certificate and key, for brokers that authenticate clients by certificate (mTLS). */
  @ValidateIf((env: ServiceEnv) => env.KAFKA_SSL_KEY !== undefined || env.KAFKA_SSL_CERT !== undefined)
  @IsPemFile('CERTIFICATE')
  KAFKA_SSL_CERT?: string;

  @ValidateIf((env: ServiceEnv) => env.KAFKA_SSL_KEY !== undefined || env.KAFKA_SSL_CERT !== undefined)
  @IsPemFile('PRIVATE KEY')
  KAFKA_SSL_KEY?: string;

  /**
   * TLS to PostgreSQL: `verify-full` checks the server's certificate against DATABASE_SSL_CA (or the
   * system's CAs) and its name against the URL's host; `require` encrypts without checking who
   * answers (not for production); `disable` never. Unset: as DATABASE_URL's own sslmode says.
   */
  @IsOptional()
  @IsIn(['disable', 'require', 'verify-full'])
  DATABASE_SSL_MODE?: 'disable' | 'require' | 'verify-full';

  @IsOptional()
  @IsPemFile('CERTIFICATE')
  DATABASE_SSL_CA?: string;

  /** Rules between settings that no single field's decorator can state. */
  crossFieldProblems(): { field: string; message: string }[] {
    const problems: { field: string; message: string }[] = [];
    const passwords = [this.KAFKA_SASL_PASSWORD, this.KAFKA_SASL_PASSWORD_FILE].filter((v) => v !== undefined).length;
    if (this.KAFKA_SASL_MECHANISM !== undefined && passwords !== 1) {
      problems.push({ field: 'KAFKA_SASL_PASSWORD_FILE', message: `KAFKA_SASL_MECHANISM needs exactly one of KAFKA_SASL_PASSWORD_FILE and KAFKA_SASL_PASSWORD (${passwords} given)` });
    }
    if (this.KAFKA_SASL_MECHANISM === undefined && (passwords > 0 || this.KAFKA_SASL_USERNAME !== undefined)) {
      problems.push({ field: 'KAFKA_SASL_MECHANISM', message: 'KAFKA_SASL_MECHANISM must be set when a SASL username or password is (scram-sha-512)' });
    }
    if (this.KAFKA_SASL_MECHANISM === 'plain' && !this.KAFKA_SSL && this.KAFKA_SSL_CA === undefined) {
      problems.push({ field: 'KAFKA_SASL_MECHANISM', message: 'KAFKA_SASL_MECHANISM=plain sends the password in clear: use it only with KAFKA_SSL=true' });
    }
    if (this.DATABASE_SSL_MODE !== undefined && /[?&]ssl(mode|rootcert)?=/.test(this.DATABASE_URL)) {
      problems.push({ field: 'DATABASE_SSL_MODE', message: "DATABASE_SSL_MODE and an ssl setting in DATABASE_URL's query: the URL's would win, so give one of them" });
    }
    if (this.DATABASE_SSL_CA !== undefined && this.DATABASE_SSL_MODE !== 'verify-full') {
      problems.push({ field: 'DATABASE_SSL_MODE', message: 'DATABASE_SSL_CA is only used with DATABASE_SSL_MODE=verify-full' });
    }
    return problems;
  }

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
  if (errors.length === 0) errors.push(...instance.crossFieldProblems().map((p) => ({ ...p, code: 'crossField' })));
  if (errors.length > 0) {
    const lines = errors.map((e) => `  - ${e.field}: ${e.message}${!source[e.field]?.trim() ? ' (not set)' : ''}`);
    throw new EnvValidationError(`${serviceName}: invalid configuration, refusing to start:\n${lines.join('\n')}`);
  }
  return instance;
}
