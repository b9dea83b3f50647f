import { SERVICES, servicePrincipal } from '@niryat/contracts';
import { applyDeclaredAcls, KafkaClient } from '@niryat/messaging';
import { secureTestInfra, testInfra } from '@niryat/testing';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { PlatformStack } from './platform-stack';

/**
 * The whole platform with the broker authenticating everyone: each service connects over SASL_SSL
 * as its own principal with only the ACLs of libs/contracts/src/kafka-access.ts, and to PostgreSQL
 * over TLS (verify-full); the simulator sends each partner's orders as that partner, forgeries
 * included, and its truth must be what the platform shows.
 */
describe('the platform over SASL_SSL with least-privilege ACLs and PostgreSQL over TLS', () => {
  const secure = secureTestInfra();
  const stack = new PlatformStack();
  const dir = mkdtempSync(join(tmpdir(), 'niryat-secure-'));

  beforeAll(async () => {
    // The ACLs of this stack's namespace, through the plaintext listener (a super user on the local broker).
    const admin = new KafkaClient({ brokers: testInfra().kafkaBrokers.split(','), clientId: `test-${stack.namespace}` });
    await applyDeclaredAcls(await admin.admin(), stack.namespace);
    await admin.close();
    for (const service of SERVICES) {
      stack.withEnv(service, {
        KAFKA_BROKERS: secure.kafkaBrokers,
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: servicePrincipal(service),
        KAFKA_SASL_PASSWORD_FILE: secure.passwordFile(servicePrincipal(service)),
        KAFKA_SSL_CA: secure.caFile,
        ...(secure.postgresTls ? { DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA: secure.caFile } : {}),
      });
    }
    await stack.withEnv('exports', { PARTNER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64') }).start();
  }, 240_000);
  afterAll(async () => {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies every partner event once, refuses the forged ones, and shows exactly the simulator\'s truth', async () => {
    const env = {
      ...process.env,
      ...stack.simulatorEnv(),
      KAFKA_BROKERS: secure.kafkaBrokers,
      KAFKA_SSL_CA: secure.caFile,
      NIRYAT_KAFKA_PASSWORDS_DIR: dirname(secure.passwordFile('admin')),
      NIRYAT_SIMULATOR_DIR: dir,
    };
    const knobs = ['--seed', '11', '--sellers', '12', '--orders', '100', '--window-days', '60', '--duplicates', '0.1', '--reorder', '0.3', '--garbage', '0.06', '--late-links', '0.2', '--transport', 'mixed'];
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', '@swc-node/register', 'apps/simulator/src/main.ts', 'run', ...knobs, '--tag', 'sec', '--verify', '--wait', '90'], { env, timeout: 200_000 }).catch(
      (error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`simulate failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}\n--- services ---\n${stack.logs.slice(-40).join('\n')}`);
      },
    );
    expect(stdout).toMatch(/verify sec: no difference/);
    expect(stdout).toMatch(/\d+ on Kafka, \d+ over HTTP/);
  }, 240_000);

  it('has every service connected to PostgreSQL over TLS', async () => {
    if (!secure.postgresTls) throw new Error('the test PostgreSQL has no TLS: an outside DATABASE_URL was given');
    const client = new Client({ connectionString: testInfra().databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ application_name: string; ssl: boolean }>(
        `SELECT DISTINCT a.application_name, s.ssl FROM pg_stat_activity a JOIN pg_stat_ssl s ON s.pid = a.pid WHERE a.application_name = ANY($1)`,
        [SERVICES.map((service) => `niryat-${service}`)],
      );
      expect(rows.map((r) => r.application_name).sort()).toEqual(SERVICES.map((service) => `niryat-${service}`).sort());
      expect(rows.every((r) => r.ssl)).toBe(true);
    } finally {
      await client.end();
    }
  });
});
