'use strict';
// Starts, health-checks and stops the four compiled services. Shared by `npm start` and the e2e tests.
const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ROOT } = require('./deps');
const { withLock } = require('../infra/proc');

const SERVICES = [
  { name: 'onboarding', port: 3001 },
  { name: 'exports', port: 3002 },
  { name: 'training', port: 3003 },
  { name: 'reporting', port: 3004 },
];

const entry = (name, file) => path.join(ROOT, 'dist', 'apps', name, 'src', `${file}.js`);
const nodeArgs = (name, file) => ['-r', path.join(__dirname, 'dist-paths.js'), entry(name, file)];

/**
 * Compiles apps and libs into dist/ (incremental: a no-op when nothing changed), one build at a
 * time: parallel test files each start a stack, and two compilers writing dist/ at once would
 * leave half-written files for the services to load.
 */
function build(log) {
  return withLock(path.join(ROOT, '.local', 'build'), async () => buildNow(log));
}

function buildNow(log) {
  log('building services (tsc -p tsconfig.build.json) ...');
  const result = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('build failed');
  // An incremental build that finds nothing to do also skips files deleted since; check the outputs.
  for (const { name } of SERVICES) {
    if (!fs.existsSync(entry(name, 'main'))) throw new Error(`build did not produce ${entry(name, 'main')}; delete dist/ and retry`);
  }
}

/** Runs each service's migrations as its own short process, as the Kubernetes Job does. */
function migrate(services, envFor, log = (line) => process.stdout.write(line)) {
  for (const service of services) {
    const result = spawnSync(process.execPath, nodeArgs(service.name, 'migrate'), { cwd: ROOT, env: envFor(service), encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${service.name} migration failed:\n${result.stderr || result.stdout}`);
    log(result.stdout);
  }
}

/** Spawns one service; its output lines are passed to `onLine`. */
function startService(service, env, onLine = () => {}) {
  const child = spawn(process.execPath, nodeArgs(service.name, 'main'), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    let buffer = '';
    stream.on('data', (data) => {
      buffer += data.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) if (line) onLine(line);
    });
  }
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

/** Polls GET /health until it answers 200; fails early if the process exits. */
async function waitHealthy(url, child, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.exited.then(() => (exited = true));
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${url} never became healthy: the process exited`);
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) });
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url}/health did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}

/** SIGTERM to every child, SIGKILL to any still running after the grace period. */
async function stopServices(children, graceMs = 15000) {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await child.exited;
      clearTimeout(timer);
    }),
  );
}

module.exports = { SERVICES, build, migrate, startService, waitHealthy, stopServices };
