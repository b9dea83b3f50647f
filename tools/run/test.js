#!/usr/bin/env node
'use strict';
// `npm test`: dependencies, a Kafka and a PostgreSQL of this run's own on free ports, then lint,
// type check, build, and the unit, integration and end-to-end tests; stops what it started and
// exits non-zero on any failure. Extra arguments go to jest (e.g. `npm test -- -t relay`).
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ensureDependencies, ROOT } = require('./deps');
const { onStop } = require('./lifecycle');

const note = (line) => process.stderr.write(`[test] ${line}\n`);

function run(label, command, args, env) {
  const started = Date.now();
  note(`${label}: ${command} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      note(`${label}: ${code === 0 ? 'ok' : `FAILED (${signal ?? code})`} in ${seconds} s`);
      resolve(code === 0);
    });
  });
}

async function main() {
  const started = Date.now();
  ensureDependencies(note, { browser: true });
  const { startInfra, stopInfra } = require('../infra');
  const dir = path.join(ROOT, '.local', `test-run-${process.pid}`);
  let stopping;
  const cleanup = async () => {
    stopping ??= stopInfra({ profile: 'test', dir })
      .catch((error) => note(`stopping test infrastructure: ${error.message}`))
      .then(() => fs.rmSync(dir, { recursive: true, force: true }));
    return stopping;
  };
  onStop((reason) => {
    note(`${reason}: stopping the test infrastructure`);
    void cleanup().then(() => process.exit(130));
  });

  const summary = { passed: 0, failed: 0 };
  let ok = false;
  try {
    const infra = await startInfra({ profile: 'test', dir, log: note });
    note(`test infrastructure: Kafka ${infra.kafka.brokers}, PostgreSQL port ${infra.postgres.port}`);
    const env = {
      ...process.env,
      KAFKA_BROKERS: infra.kafka.brokers,
      DATABASE_URL: infra.postgres.url,
      // The broker's SASL_SSL listener, its CA and the principals' passwords, for the ACL and secure end-to-end tests.
      NIRYAT_TEST_INFRA_FILE: path.join(dir, 'infra.json'),
      NX_DAEMON: 'false',
      NX_TUI: 'false',
      NX_NO_CLOUD: 'true',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    };
    const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
    const results = path.join(dir, 'jest-results.json');
    ok =
      (await run('lint', bin('nx'), ['run-many', '-t', 'lint', '--output-style=stream'], env)) &&
      (await run('typecheck', bin('tsc'), ['-p', 'tsconfig.json'], env)) &&
      (await run('build', bin('tsc'), ['-p', 'tsconfig.build.json'], env)) &&
      (await run('jest', bin('jest'), ['--ci', '--json', `--outputFile=${results}`, ...process.argv.slice(2)], env));
    if (fs.existsSync(results)) {
      const report = JSON.parse(fs.readFileSync(results, 'utf8'));
      summary.passed = report.numPassedTests;
      summary.failed = report.numFailedTests + report.numRuntimeErrorTestSuites;
      if (report.numTotalTests === 0) ok = false;
    }
  } finally {
    await cleanup();
  }
  note(`${ok ? 'all green' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.stdout.write(`tests: ${summary.passed} passed, ${summary.failed} failed\n`);
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  note(`failed: ${error.stack ?? error}`);
  process.exit(1);
});
