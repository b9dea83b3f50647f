'use strict';
// Programmatic entry point used by cli.js, tools/run/* and jest global setup.
// One infrastructure "dir" holds kafka/, postgres/ and infra.json; infra.json
// is how other processes (jest workers, services, `stop`) learn the ports.

const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const proc = require('./proc');
const { startKafka, stopKafka, kafkaStatus } = require('./kafka');
const { startPostgres, stopPostgres, postgresStatus } = require('./postgres');
const { ensureCertificates } = require('./tls');
const { execFile } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PROFILES = ['dev', 'test'];

const infraFile = (dir) => path.join(dir, 'infra.json');

function resolveDir({ profile = 'dev', dir, repoRoot = REPO_ROOT } = {}) {
  if (!PROFILES.includes(profile)) throw new Error(`Unknown profile "${profile}" (expected ${PROFILES.join(' or ')})`);
  return path.resolve(dir || path.join(repoRoot, '.local', profile));
}

function readInfra(dir) {
  try {
    return JSON.parse(fs.readFileSync(infraFile(path.resolve(dir)), 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

const maskUrl = (url) => url && url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

function envPort(env, name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name}=${raw} is not a port number`);
  return port;
}

// dev: fixed, well-known ports (overridable). test: free ports picked at
// start so a test run never collides with a running dev stack or another run.
// A server that is already running keeps its own ports whatever is chosen here.
async function choosePorts(profile, env) {
  if (profile === 'dev') {
    return {
      kafka: envPort(env, 'NIRYAT_KAFKA_PORT', 9092),
      controller: envPort(env, 'NIRYAT_KAFKA_CONTROLLER_PORT', 9093),
      kafkaSecure: envPort(env, 'NIRYAT_KAFKA_SECURE_PORT', 9094),
      postgres: envPort(env, 'NIRYAT_PG_PORT', 5433),
    };
  }
  const ports = new Set();
  while (ports.size < 4) ports.add(await proc.findFreePort());
  const [kafka, controller, postgres, kafkaSecure] = [...ports];
  return { kafka, controller, postgres, kafkaSecure };
}

/**
 * The test profile's broker always has the SASL_SSL listener beside the plaintext one (the ACL and
 * secure end-to-end tests use it); the dev profile has only the plaintext one unless
 * NIRYAT_KAFKA_SECURE=1, which makes SASL_SSL its only client listener and the services connect
 * with their own principals.
 */
function securityOf(profile, env) {
  const flag = (env.NIRYAT_KAFKA_SECURE ?? '').trim().toLowerCase();
  if (flag !== '' && !['0', '1', 'true', 'false'].includes(flag)) throw new Error(`NIRYAT_KAFKA_SECURE=${env.NIRYAT_KAFKA_SECURE}: use 1 or 0`);
  if (profile === 'test') return { secure: true, only: false };
  return { secure: ['1', 'true'].includes(flag), only: true };
}

/** The SCRAM users the access declaration needs (libs/contracts/src/kafka-access.ts), from its CLI. */
function runAccessCli(repoRoot, args, env = process.env) {
  const cli = path.join(repoRoot, 'libs', 'messaging', 'src', 'admin', 'kafka-access-cli.ts');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-r', '@swc-node/register', cli, ...args], { cwd: repoRoot, env, encoding: 'utf8', timeout: 120000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`kafka-access ${args[0]} failed: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

/** The id the local Kafka was formatted with (`cluster.id` in its meta.properties), or null. */
function kafkaClusterId(kafkaDir) {
  try {
    const meta = fs.readFileSync(path.join(kafkaDir, 'data', 'meta.properties'), 'utf8');
    return /^cluster\.id=(.+)$/m.exec(meta)?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}

/**
 * The local PostgreSQL remembers the Kafka cluster it was first started with, and refuses another:
 * its stored offsets count that cluster's log, and would make the services skip a new log's records.
 */
async function assertPaired(url, clusterId, dir) {
  if (!clusterId) return;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS public.niryat_infra (key text PRIMARY KEY, value text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`);
    await client.query(`INSERT INTO public.niryat_infra (key, value) VALUES ('kafka_cluster_id', $1) ON CONFLICT (key) DO NOTHING`, [clusterId]);
    const { rows } = await client.query(`SELECT value FROM public.niryat_infra WHERE key = 'kafka_cluster_id'`);
    if (rows[0].value !== clusterId) {
      throw new Error(
        `the local PostgreSQL belongs with Kafka cluster ${rows[0].value}, but this Kafka is cluster ${clusterId}: ` +
          `its data counts another log. Reset the local data: npm run infra -- stop --dir ${dir} && rm -rf ${dir}`,
      );
    }
  } finally {
    await client.end();
  }
}

async function checkExternalPostgres(url) {
  await proc.waitFor(
    async () => {
      const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } finally {
        await client.end().catch(() => {});
      }
    },
    { timeoutMs: 15000, intervalMs: 500, what: `the external DATABASE_URL ${maskUrl(url)}` },
  );
  return { url, pid: null, port: Number(new URL(url).port) || 5432, started: false, external: true };
}

async function startInfra({ profile = 'dev', dir, repoRoot = REPO_ROOT, log = () => {}, env = process.env } = {}) {
  dir = resolveDir({ profile, dir, repoRoot });
  return proc.withLock(dir, async () => {
    const ports = await choosePorts(profile, env);
    const security = securityOf(profile, env);
    const kafkaDir = path.join(dir, 'kafka');
    const postgresDir = path.join(dir, 'postgres');
    const tls = await ensureCertificates(dir);
    const secure = security.secure
      ? { port: ports.kafkaSecure, only: security.only, tls, users: (await runAccessCli(repoRoot, ['principals'])).split('\n').filter(Boolean) }
      : undefined;
    // Both start in parallel; the JVM and initdb each keep a core busy.
    const results = await Promise.allSettled([
      startKafka({ dataDir: kafkaDir, port: ports.kafka, controllerPort: ports.controller, secure, log, repoRoot }),
      env.DATABASE_URL
        ? checkExternalPostgres(env.DATABASE_URL)
        : startPostgres({ dataDir: postgresDir, port: ports.postgres, tls, log }),
    ]);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) {
      // Undo only what this call started, so a failed start leaves no half stack
      // behind (a jest globalSetup that throws never gets its teardown).
      const [k, p] = results;
      if (k.status === 'fulfilled' && k.value.started) await stopKafka({ dataDir: kafkaDir });
      if (p.status === 'fulfilled' && p.value.started) await stopPostgres({ dataDir: postgresDir });
      throw failed.reason;
    }
    const [kafka, postgres] = results.map((r) => r.value);
    // Only the local pair: an external DATABASE_URL may well serve several Kafkas (CI, tests).
    if (!env.DATABASE_URL) {
      try {
        await assertPaired(postgres.url, kafkaClusterId(kafkaDir), dir);
      } catch (error) {
        if (kafka.started) await stopKafka({ dataDir: kafkaDir });
        if (postgres.started) await stopPostgres({ dataDir: postgresDir });
        throw error;
      }
    }
    if (secure && security.only) {
      // The services of a secured local platform use no topic namespace: their ACLs, as declared.
      const admin = kafka.secure;
      await runAccessCli(repoRoot, ['apply'], { ...process.env, KAFKA_BROKERS: admin.brokers, KAFKA_SSL_CA: admin.caFile, KAFKA_SASL_USERNAME: 'admin', KAFKA_SASL_PASSWORD_FILE: admin.users.admin, KAFKA_TOPIC_NAMESPACE: '' });
    }
    const k = kafkaStatus({ dataDir: kafkaDir });
    const info = {
      profile,
      dir,
      tls: { caFile: tls.caCert },
      kafka: {
        brokers: kafka.brokers,
        // SASL_SSL (SCRAM-SHA-512): where, the CA to trust, and each declared principal's password file.
        secure: kafka.secure,
        port: kafka.port,
        controllerPort: kafka.controllerPort,
        pid: kafka.pid,
        dataDir: kafkaDir,
        pidFile: k.pidFile,
        logFile: k.serverLog,
        consoleLog: k.consoleLog,
      },
      postgres: {
        url: postgres.url,
        port: postgres.port,
        pid: postgres.pid,
        external: Boolean(postgres.external),
        dataDir: postgres.external ? null : postgresDir,
        pgdata: postgres.pgdata || null,
        logFile: postgres.logFile || null,
        // The local server also speaks TLS with the certificate of tls/ (sslmode=verify-full with tls.caFile).
        tls: Boolean(postgres.tls),
      },
      updatedAt: new Date().toISOString(),
    };
    fs.writeFileSync(infraFile(dir), `${JSON.stringify(info, null, 2)}\n`);
    return { ...info, startedKafka: kafka.started, startedPostgres: postgres.started };
  });
}

async function stopInfra({ profile = 'dev', dir, repoRoot = REPO_ROOT } = {}) {
  dir = resolveDir({ profile, dir, repoRoot });
  if (!fs.existsSync(dir)) return { dir, stoppedKafka: false, stoppedPostgres: false };
  return proc.withLock(dir, async () => {
    const [kafka, postgres] = await Promise.all([
      stopKafka({ dataDir: path.join(dir, 'kafka') }),
      stopPostgres({ dataDir: path.join(dir, 'postgres') }),
    ]);
    // Ports in a stale infra.json would point other processes at nothing.
    fs.rmSync(infraFile(dir), { force: true });
    return { dir, stoppedKafka: kafka.stopped, stoppedPostgres: postgres.stopped };
  });
}

function statusInfra({ profile = 'dev', dir, repoRoot = REPO_ROOT } = {}) {
  dir = resolveDir({ profile, dir, repoRoot });
  const kafka = kafkaStatus({ dataDir: path.join(dir, 'kafka') });
  const postgres = postgresStatus({ dataDir: path.join(dir, 'postgres') });
  const recorded = readInfra(dir);
  return { dir, kafka, postgres, recorded };
}

module.exports = { startInfra, stopInfra, readInfra, statusInfra, resolveDir, maskUrl };
