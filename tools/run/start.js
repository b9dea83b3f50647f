#!/usr/bin/env node
'use strict';
// `npm start`: dependencies, Kafka and PostgreSQL, build, migrations, the four services, demo data,
// URLs, then a gentle simulator run in the background. Ctrl-C (SIGINT) or SIGTERM stops everything
// this command started, and nothing else.
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ensureDependencies, ROOT } = require('./deps');
const { onStop } = require('./lifecycle');

const say = (line) => process.stdout.write(`${line}\n`);
const note = (line) => process.stderr.write(`[start] ${line}\n`);

/** Prints a service's JSON log line as `[name] LEVEL message`, anything else as it is. */
function printer(name) {
  const levels = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
  const pad = name.padEnd(10);
  return (line) => {
    try {
      const entry = JSON.parse(line);
      const context = entry.context ? `[${entry.context}] ` : '';
      const caller = entry.principalId ? `(${entry.principalId}) ` : '';
      const request = entry.req ? `${entry.req.method} ${entry.req.url} ${entry.res?.statusCode ?? ''} ${caller}` : '';
      say(`${pad} ${levels[entry.level] ?? entry.level} ${context}${request}${entry.msg ?? ''}`);
    } catch {
      say(`${pad} ${line}`);
    }
  };
}

/**
 * The key that encrypts partner signing secrets in the local database (the exports service's
 * PARTNER_KEY_ENCRYPTION_KEY): made on the first start, kept in `file` (mode 0600) so partner keys
 * created in earlier runs still decrypt. Losing it makes those keys unusable, nothing else.
 */
function ensureLocalPartnerKeyEncryptionKey(file) {
  if (fs.existsSync(file)) {
    const key = fs.readFileSync(file, 'utf8').trim();
    if (!/^[A-Za-z0-9+/]{43}=$/.test(key)) {
      throw new Error(`${file} does not hold 32 bytes in base64; delete it (partner keys created under it stop working) to make a new one`);
    }
    return { key, created: false };
  }
  const key = crypto.randomBytes(32).toString('base64');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return { key, created: true };
}

/**
 * The simulator run `npm start` begins once the platform is up: a small world of its own (a tag made
 * from the start time, as a tag is used once per platform), about two orders a second for a bounded
 * count, then verify against its truth; its output to `<tag>.log` beside its record in `runsDir`.
 */
function gentleSimulation(now, runsDir) {
  const tag = `d${Math.floor(now / 1000).toString(36)}`;
  // 8 events a second at 2 to 6 events an order: about 3 minutes for 400 orders.
  const [sellers, orders, eventsPerSecond] = [12, 400, 8];
  return {
    tag,
    logFile: path.join(runsDir, `${tag}.log`),
    args: ['run', '--tag', tag, '--sellers', String(sellers), '--orders', String(orders), '--rate', String(eventsPerSecond), '--window-days', '90', '--verify', '--wait', '300'],
    summary: `world ${tag} in the background: ${sellers} sellers, ${orders} orders at about ${eventsPerSecond / 4} a second, then verify`,
  };
}

/**
 * Starts the compiled simulator (built with the services) in the background with the platform's
 * URLs, tokens and brokers, writing to its log. Whatever becomes of it, npm start carries on:
 * failures are noted, never fatal. Returns the child, or undefined if it could not start.
 */
function startSimulation(run, { urls, tokens, brokers, baseEnv, runsDir, stopping }) {
  try {
    fs.mkdirSync(runsDir, { recursive: true });
    const out = fs.openSync(run.logFile, 'a');
    const env = {
      ...baseEnv,
      KAFKA_BROKERS: brokers,
      NIRYAT_SIMULATOR_DIR: runsDir,
      ...Object.fromEntries(urls.map((service) => [`NIRYAT_${service.name.toUpperCase()}_URL`, service.url])),
      ...Object.fromEntries(['registrant', 'reviewer', 'operator', 'analyst'].map((role) => [`NIRYAT_${role.toUpperCase()}_TOKEN`, tokens[role]])),
    };
    const entry = path.join(ROOT, 'dist', 'apps', 'simulator', 'src', 'main.js');
    const child = spawn(process.execPath, ['-r', path.join(__dirname, 'dist-paths.js'), entry, ...run.args], { cwd: ROOT, env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const log = path.relative(ROOT, run.logFile);
    child.on('error', (error) => note(`simulator ${run.tag} did not start (${error.message}); the platform runs on without it`));
    child.on('exit', (code, signal) => {
      if (stopping()) return;
      if (code === 0) note(`simulator ${run.tag}: every order sent, and the platform shows exactly its truth (${log})`);
      // 1 is verify's differences, but also what node exits with on a crash: the log tells which.
      else note(`simulator ${run.tag} ended with ${signal ?? `exit ${code}`}: ${log} says why; the platform runs on`);
    });
    return child;
  } catch (error) {
    note(`simulator ${run.tag} did not start (${error.message}); the platform runs on without it`);
    return undefined;
  }
}

async function main() {
  ensureDependencies(note);
  const { startInfra } = require('../infra');
  const { stopKafka } = require('../infra/kafka');
  const { stopPostgres } = require('../infra/postgres');
  const { SERVICES, build, migrate, startService, waitHealthy, stopServices } = require('./services');
  const { seedDemo } = require('./demo-seed');
  const { ensureDevCredentials, exportLines } = require('./credentials');

  const children = [];
  let infra;
  let stopping;
  let simulator;
  const shutdown = (reason, code) => {
    stopping ??= (async () => {
      note(`${reason}: stopping ...`);
      if (simulator && simulator.exitCode === null && simulator.signalCode === null) simulator.kill('SIGTERM');
      await stopServices(children);
      if (infra?.startedKafka) await stopKafka({ dataDir: infra.kafka.dataDir });
      if (infra?.startedPostgres) await stopPostgres({ dataDir: infra.postgres.dataDir });
      note('stopped everything this command started');
      process.exit(code);
    })();
    return stopping;
  };
  onStop((reason) => void shutdown(reason, 0));

  // One credential per role, for local use only; the services get the hashes, never the tokens.
  const dev = ensureDevCredentials(path.join(ROOT, '.local', 'dev', 'credentials.json'));
  if (dev.changed) note(`local credentials written to ${path.relative(ROOT, dev.file)} (mode 0600)`);
  const tokens = Object.fromEntries(dev.credentials.map(({ role, token }) => [role, token]));
  // Entries from your own AUTH_CREDENTIALS (e.g. minted with `npm run credential`) are kept too.
  const authCredentials = [...dev.credentials.map(({ entry }) => entry), process.env.AUTH_CREDENTIALS]
    .filter(Boolean)
    .join(',');

  // Your own PARTNER_KEY_ENCRYPTION_KEY wins; otherwise the local one, for the exports service only.
  let partnerKeyEncryptionKey = process.env.PARTNER_KEY_ENCRYPTION_KEY;
  if (!partnerKeyEncryptionKey) {
    const local = ensureLocalPartnerKeyEncryptionKey(path.join(ROOT, '.local', 'dev', 'partner-key-encryption.key'));
    if (local.created) note('local PARTNER_KEY_ENCRYPTION_KEY written to .local/dev/partner-key-encryption.key (mode 0600)');
    partnerKeyEncryptionKey = local.key;
  }

  infra = await startInfra({ profile: 'dev', log: note });
  note(`Kafka ${infra.kafka.brokers ?? `${infra.kafka.secure.brokers} (SASL_SSL only)`} (${infra.startedKafka ? 'started' : 'already running'}), PostgreSQL ${infra.postgres.port} (${infra.startedPostgres ? 'started' : infra.postgres.external ? 'external' : 'already running'})`);
  await build(note);

  // NIRYAT_KAFKA_SECURE=1: SASL_SSL is the broker's only client listener; each service connects as
  // its own principal with its ACLs, and PostgreSQL is reached over verify-full TLS.
  const secure = infra.kafka.secure && !infra.kafka.brokers ? infra.kafka.secure : undefined;
  const brokers = secure ? secure.brokers : infra.kafka.brokers;
  const base = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    KAFKA_BROKERS: brokers,
    DATABASE_URL: infra.postgres.url,
    ...(secure && infra.postgres.tls ? { DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA: infra.tls.caFile } : {}),
    HOST: process.env.HOST ?? '127.0.0.1',
    AUTH_CREDENTIALS: authCredentials,
  };
  const portOf = (service) => Number(process.env[`NIRYAT_${service.name.toUpperCase()}_PORT`] ?? service.port);
  const envFor = (service) => ({
    ...base,
    ...(secure
      ? {
          KAFKA_SASL_MECHANISM: 'scram-sha-512',
          KAFKA_SASL_USERNAME: `niryat-${service.name}`,
          KAFKA_SASL_PASSWORD_FILE: secure.users[`niryat-${service.name}`],
          KAFKA_SSL_CA: secure.caFile,
        }
      : {}),
    PORT: String(portOf(service)),
    ...(service.name === 'exports' ? { PARTNER_KEY_ENCRYPTION_KEY: partnerKeyEncryptionKey } : {}),
  });
  migrate(SERVICES, envFor);

  for (const service of SERVICES) {
    const child = startService(service, envFor(service), printer(service.name));
    child.exited.then(({ code, signal }) => {
      if (!stopping) void shutdown(`${service.name} exited (${signal ?? code})`, 1);
    });
    children.push(child);
  }
  const urls = SERVICES.map((service) => ({ ...service, url: `http://127.0.0.1:${portOf(service)}` }));
  await Promise.all(urls.map((service, i) => waitHealthy(service.url, children[i])));

  const seeded = await seedDemo(urls.find((s) => s.name === 'onboarding').url, urls.find((s) => s.name === 'reporting').url, tokens);
  say('');
  say('Niryat is up. Every service answers GET /health.');
  for (const service of urls) say(`  ${service.name.padEnd(11)} ${service.url}`);
  say(`  Kafka       ${brokers}${secure ? ` (SASL_SSL, SCRAM-SHA-512: CA ${path.relative(ROOT, secure.caFile)}, passwords in ${path.relative(ROOT, path.dirname(secure.users.admin))})` : ''}`);
  say(`  PostgreSQL  ${infra.postgres.url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}`);
  say(`  demo data   ${seeded}`);
  say(`  tokens      ${path.relative(ROOT, dev.file)} (one per role; local development only), for your shell:`);
  for (const line of exportLines(dev.credentials)) say(`    ${line}`);
  say(`  try         curl -H "Authorization: Bearer $NIRYAT_OPERATOR_TOKEN" ${urls[3].url}/v1/reports/sellers`);
  // The fragment never reaches the server; the page keeps the token in the tab's sessionStorage.
  say(`  dashboard   ${urls[3].url}/dashboard#token=${tokens.analyst}`);
  const runsDir = path.join(ROOT, '.local', 'dev', 'simulator');
  const run = process.env.NIRYAT_START_SIMULATOR === '0' ? undefined : gentleSimulation(Date.now(), runsDir);
  if (run) {
    say(`  simulator   ${run.summary} (NIRYAT_START_SIMULATOR=0 skips it)`);
    say(`    watch     tail -f ${path.relative(ROOT, run.logFile)}`);
    say(`    verify    npm run simulate -- verify --tag ${run.tag}   (exit 0 when the platform shows exactly its truth)`);
  }
  say('Ctrl-C stops everything this command started.');
  say('');
  const simulatorEnv = secure ? { ...base, KAFKA_SSL_CA: secure.caFile, NIRYAT_KAFKA_PASSWORDS_DIR: path.dirname(secure.users.admin) } : base;
  if (run) simulator = startSimulation(run, { urls, tokens, brokers, baseEnv: simulatorEnv, runsDir, stopping: () => stopping !== undefined });
}

module.exports = { gentleSimulation };

if (require.main === module) {
  main().catch((error) => {
    note(`failed: ${error.stack ?? error}`);
    process.kill(process.pid, 'SIGTERM');
  });
}
