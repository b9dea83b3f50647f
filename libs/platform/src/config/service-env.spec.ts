import 'reflect-metadata';
import { EnvValidationError, loadEnv, ServiceEnv } from './service-env';

class DemoEnv extends ServiceEnv {
  override PORT = 3999;
}

const good = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5433/niryat', KAFKA_BROKERS: '127.0.0.1:9092,kafka-2:9092' };

describe('loadEnv', () => {
  it('applies defaults and converts numbers and booleans', () => {
    const env = loadEnv(DemoEnv, 'demo', { ...good, PORT: '4001', DB_MIGRATE_ON_START: 'true', DB_POOL_SIZE: ' 20 ' });
    expect(env).toMatchObject({ PORT: 4001, DB_MIGRATE_ON_START: true, DB_POOL_SIZE: 20, LOG_LEVEL: 'info', HOST: '0.0.0.0' });
    expect(loadEnv(DemoEnv, 'demo', good).PORT).toBe(3999);
  });

  it('refuses to start with one message naming every bad or missing variable', () => {
    const attempt = () => loadEnv(DemoEnv, 'demo', { DATABASE_URL: 'mysql://x', PORT: 'eighty', DB_MIGRATE_ON_START: 'maybe' });
    expect(attempt).toThrow(EnvValidationError);
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('demo: invalid configuration');
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'PORT', 'DB_MIGRATE_ON_START']) expect(message).toContain(`- ${name}:`);
    expect(message).toContain('KAFKA_BROKERS must be a comma-separated list of host:port (not set)');
    expect(message).not.toContain('mysql://x'); // values may hold credentials: never echoed
  });

  it('takes an empty variable for unset, as docker compose passes `${NAME:-}`: defaults apply, optional ones stay off, required ones are missing', () => {
    const env = loadEnv(DemoEnv, 'demo', { ...good, PORT: '', DB_SCHEMA: ' ', KAFKA_TOPIC_NAMESPACE: '' });
    expect(env).toMatchObject({ PORT: 3999 });
    expect(env.DB_SCHEMA).toBeUndefined();
    expect(env.KAFKA_TOPIC_NAMESPACE).toBeUndefined();
    expect(() => loadEnv(DemoEnv, 'demo', { ...good, KAFKA_BROKERS: '' })).toThrow('KAFKA_BROKERS must be a comma-separated list of host:port (not set)');
  });

  it('refuses a schema name that is not a safe SQL identifier', () => {
    expect(() => loadEnv(DemoEnv, 'demo', { ...good, DB_SCHEMA: 'x"; drop' })).toThrow(/DB_SCHEMA/);
  });

  it('reads AUTH_CREDENTIALS, and refuses bad entries by position and id without echoing hashes', () => {
    const hash = 'ab'.repeat(32);
    expect(loadEnv(DemoEnv, 'demo', good).AUTH_CREDENTIALS).toBeUndefined();
    expect(loadEnv(DemoEnv, 'demo', { ...good, AUTH_CREDENTIALS: `ops-1:operator:${hash}` }).AUTH_CREDENTIALS).toBe(`ops-1:operator:${hash}`);
    expect(loadEnv(DemoEnv, 'demo', { ...good, AUTH_CREDENTIALS: '' }).AUTH_CREDENTIALS).toBeUndefined();

    const attempt = () => loadEnv(DemoEnv, 'demo', { ...good, AUTH_CREDENTIALS: `ops-1:operator:${hash},feed-1:partner:${hash},ops-1:reviewer:${hash}` });
    expect(attempt).toThrow(EnvValidationError);
    expect(attempt).toThrow('- AUTH_CREDENTIALS: AUTH_CREDENTIALS has 2 problem(s): entry 2 ("feed-1"): a partner credential needs a scope');
    expect(attempt).toThrow('entry 3 ("ops-1"): duplicate id, already used by entry 1');
    expect(attempt).not.toThrow(hash);
  });
});
