#!/usr/bin/env node
'use strict';
// `npm start`: dependencies, Kafka and PostgreSQL, build, migrations, the four services, demo data,
// URLs. Ctrl-C (SIGINT) or SIGTERM stops everything this command started, and nothing else.
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
  const shutdown = (reason, code) => {
    stopping ??= (async () => {
      note(`${reason}: stopping ...`);
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
  note(`Kafka ${infra.kafka.brokers} (${infra.startedKafka ? 'started' : 'already running'}), PostgreSQL ${infra.postgres.port} (${infra.startedPostgres ? 'started' : infra.postgres.external ? 'external' : 'already running'})`);
  await build(note);

  const base = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    KAFKA_BROKERS: infra.kafka.brokers,
    DATABASE_URL: infra.postgres.url,
    HOST: process.env.HOST ?? '127.0.0.1',
    AUTH_CREDENTIALS: authCredentials,
  };
  const portOf = (service) => Number(process.env[`NIRYAT_${service.name.toUpperCase()}_PORT`] ?? service.port);
  const envFor = (service) => ({
    ...base,
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
  say(`  Kafka       ${infra.kafka.brokers}`);
  say(`  PostgreSQL  ${infra.postgres.url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')}`);
  say(`  demo data   ${seeded}`);
  say(`  tokens      ${path.relative(ROOT, dev.file)} (one per role; local development only), for your shell:`);
  for (const line of exportLines(dev.credentials)) say(`    ${line}`);
  say(`  try         curl -H "Authorization: Bearer $NIRYAT_OPERATOR_TOKEN" ${urls[3].url}/v1/reports/sellers`);
  // The fragment never reaches the server; the page keeps the token in the tab's sessionStorage.
  say(`  dashboard   ${urls[3].url}/dashboard#token=${tokens.analyst}`);
  say('Ctrl-C stops everything this command started.');
  say('');
}

main().catch((error) => {
  note(`failed: ${error.stack ?? error}`);
  process.kill(process.pid, 'SIGTERM');
});
