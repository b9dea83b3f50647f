#!/usr/bin/env node
'use strict';
// `npm run rebuild:reporting`: rebuilds every reporting view from the start of the domain topics
// and swaps it in while the platform runs (apps/reporting/src/rebuild.ts). Against the platform
// `npm start` runs here unless DATABASE_URL and KAFKA_BROKERS say otherwise; arguments pass through
// (`npm run rebuild:reporting -- --help`).
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ensureDependencies, ROOT } = require('./deps');

const note = (line) => process.stderr.write(`[rebuild] ${line}\n`);

async function main() {
  ensureDependencies(note);
  const env = { ...process.env };
  if (!env.DATABASE_URL || !env.KAFKA_BROKERS) {
    const { readInfra, resolveDir } = require('../infra');
    const infra = readInfra(resolveDir({ profile: 'dev' }));
    if (!infra) {
      note('no DATABASE_URL / KAFKA_BROKERS given and no local platform running: start it with `npm start` first');
      process.exit(2);
    }
    env.DATABASE_URL ??= infra.postgres.url;
    env.KAFKA_BROKERS ??= infra.kafka.brokers;
  }
  const { build } = require('./services');
  await build(note);
  const child = spawn(process.execPath, ['-r', path.join(__dirname, 'dist-paths.js'), path.join(ROOT, 'dist', 'apps', 'reporting', 'src', 'rebuild.js'), ...process.argv.slice(2)], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

main().catch((error) => {
  note(`failed: ${error.message}`);
  process.exit(1);
});
