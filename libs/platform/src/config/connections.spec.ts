import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseTlsOf, messagingConfigOf } from './connections';
import { EnvValidationError, loadEnv, ServiceEnv } from './service-env';

class DemoEnv extends ServiceEnv {
  override PORT = 3999;
}

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const good = { DATABASE_URL: 'postgres://u:p@db.internal:5432/niryat', KAFKA_BROKERS: 'kafka-0:9093' };

describe('Kafka and PostgreSQL security settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'niryat-env-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const ca = file('ca.crt', CERT);
  const passwordFile = file('password', 'first-secret\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const problems = (env: Record<string, string>): string => {
    try {
      loadEnv(DemoEnv, 'demo', { ...good, ...env });
      return '';
    } catch (error) {
      expect(error).toBeInstanceOf(EnvValidationError);
      return (error as Error).message;
    }
  };

  it('builds SCRAM over TLS from a password file, read again at every connect so a rotated secret is used without a restart', () => {
    const env = loadEnv(DemoEnv, 'demo', { ...good, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'niryat-exports', KAFKA_SASL_PASSWORD_FILE: passwordFile, KAFKA_SSL_CA: ca });
    const config = messagingConfigOf('exports', env);
    expect(config.ssl).toEqual({ rejectUnauthorized: true, ca: CERT });
    expect(config.sasl).toMatchObject({ mechanism: 'scram-sha-512', username: 'niryat-exports', password: 'first-secret' });
    writeFileSync(passwordFile, 'rotated-secret\n');
    expect((config.sasl as { password: string }).password).toBe('rotated-secret');
  });

  it('connects in plaintext with neither set', () => {
    const config = messagingConfigOf('exports', loadEnv(DemoEnv, 'demo', good));
    expect(config.ssl).toBeUndefined();
    expect(config.sasl).toBeUndefined();
  });

  it.each([
    ['a mechanism without a password', { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'x' }, 'needs exactly one of KAFKA_SASL_PASSWORD_FILE and KAFKA_SASL_PASSWORD (0 given)'],
    ['both a password and a file', { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'x', KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_PASSWORD_FILE: '/dev/null' }, '(2 given)'],
    ['a mechanism without a user', { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_USERNAME must be set with KAFKA_SASL_MECHANISM'],
    ['a user without a mechanism', { KAFKA_SASL_USERNAME: 'x', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_MECHANISM must be set when a SASL username or password is'],
    ['an unknown mechanism', { KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'x', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_MECHANISM must be one of'],
    ['PLAIN without TLS', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'x', KAFKA_SASL_PASSWORD: 'p' }, 'sends the password in clear'],
    ['a password file that is not there', { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'x', KAFKA_SASL_PASSWORD_FILE: '/nonexistent/password' }, 'KAFKA_SASL_PASSWORD_FILE cannot be read (ENOENT): /nonexistent/password'],
    ['a CA that is not PEM', { KAFKA_SSL_CA: '/dev/null' }, 'KAFKA_SSL_CA is not a PEM file with a CERTIFICATE'],
    ['a client certificate without its key', { KAFKA_SSL_CERT: ca }, 'KAFKA_SSL_KEY'],
    ['a database CA without verify-full', { DATABASE_SSL_CA: ca, DATABASE_SSL_MODE: 'require' }, 'DATABASE_SSL_CA is only used with DATABASE_SSL_MODE=verify-full'],
    ['DATABASE_SSL_MODE beside an sslmode in the URL', { DATABASE_URL: 'postgres://u:p@db:5432/n?sslmode=require', DATABASE_SSL_MODE: 'verify-full' }, "the URL's would win"],
  ])('refuses %s, saying why', (_label, env, reason) => {
    expect(problems(env as Record<string, string>)).toContain(reason);
  });

  it('never echoes a password', () => {
    expect(problems({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'x', KAFKA_SASL_PASSWORD: 'hunter2-secret' })).not.toContain('hunter2-secret');
  });

  it('verifies PostgreSQL against the given CA with verify-full, only encrypts with require, and leaves it to the URL when unset', () => {
    expect(databaseTlsOf(loadEnv(DemoEnv, 'demo', { ...good, DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA: ca }))).toEqual({ rejectUnauthorized: true, ca: CERT });
    expect(databaseTlsOf(loadEnv(DemoEnv, 'demo', { ...good, DATABASE_SSL_MODE: 'require' }))).toEqual({ rejectUnauthorized: false });
    expect(databaseTlsOf(loadEnv(DemoEnv, 'demo', { ...good, DATABASE_SSL_MODE: 'disable' }))).toBe(false);
    expect(databaseTlsOf(loadEnv(DemoEnv, 'demo', good))).toBeUndefined();
  });
});
