'use strict';
// The compose stack on podman: Debian's docker-compose (1.29) through podman's Docker API socket.
// Why that client and not podman-compose (Debian's 1.0.3): docker-compose honours depends_on's
// conditions (service_healthy, service_completed_successfully), on which docker-compose.yml's
// order rests (Kafka and PostgreSQL healthy, then the migrations, then the services);
// podman-compose 1.0.3 starts everything at once. docker-compose 1.29 predates the top-level
// `name:` key, so it reads a copy without it and gets the name from -p.
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ROOT, STATE_DIR, ensureApiService, stopApiService } = require('./engine');
const { projectContainers } = require('./api');
const { buildAll } = require('./images');
const { run, capture, say, timed } = require('./sh');

const PROJECT = 'niryat';
const OVERRIDE = path.join(__dirname, 'compose.local.yml');
const TICKER_PID = path.join(STATE_DIR, 'health-ticker.pid');
const UP_TIMEOUT_MS = 6 * 60000;

function composeFile() {
  const source = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
  const name = /^name:\s*(\S+)\s*$/m.exec(source)?.[1];
  if (name && name !== PROJECT) throw new Error(`docker-compose.yml names the project ${name}, tools/containers expects ${PROJECT}`);
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const file = path.join(STATE_DIR, 'docker-compose.yml');
  fs.writeFileSync(file, source.replace(/^name:.*\n/m, ''));
  return file;
}

async function compose(args, dockerHost) {
  const env = { ...process.env, DOCKER_HOST: dockerHost, COMPOSE_HTTP_TIMEOUT: '300' };
  await run('docker-compose', ['-p', PROJECT, '--project-directory', ROOT, '-f', composeFile(), '-f', OVERRIDE, ...args], { env });
}

const tickerPid = () => Number(fs.readFileSync(TICKER_PID, { encoding: 'utf8', flag: 'a+' }).trim()) || 0;
const isTicker = (pid) => pid > 0 && (capture('ps', ['-o', 'args=', '-p', String(pid)]) ?? '').includes('health-ticker.js');

function startTicker() {
  if (isTicker(tickerPid())) return;
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const child = spawn(process.execPath, [path.join(__dirname, 'health-ticker.js'), PROJECT], { detached: true, stdio: 'ignore' });
  child.unref();
  fs.writeFileSync(TICKER_PID, `${child.pid}\n`);
}

function stopTicker() {
  const pid = tickerPid();
  if (isTicker(pid)) process.kill(pid, 'SIGTERM');
  fs.rmSync(TICKER_PID, { force: true });
}

const serviceOf = (container) => container.Config.Labels['com.docker.compose.service'];

/** One line per container: service, state, health; `ready` when every service is healthy and the one-shots exited 0. */
async function describe() {
  const containers = await projectContainers(PROJECT);
  const rows = containers.map((container) => {
    const oneShot = container.HostConfig?.RestartPolicy?.Name === 'no' || container.HostConfig?.RestartPolicy?.Name === '';
    const health = container.State.Health?.Status || (container.Config.Healthcheck?.Test ? 'starting' : '-');
    const ok = oneShot ? container.State.Status === 'exited' && container.State.ExitCode === 0 : container.State.Running && health === 'healthy';
    const state = container.State.Status === 'exited' ? `exited ${container.State.ExitCode}` : container.State.Status;
    return { id: container.Id, service: serviceOf(container), state, health, ok, failed: oneShot && container.State.Status === 'exited' && container.State.ExitCode !== 0 };
  });
  rows.sort((a, b) => a.service.localeCompare(b.service));
  return { rows, ready: rows.length > 0 && rows.every((row) => row.ok) };
}

/** The last lines a container wrote: what a failed `up` shows of each container that is not ready. */
const lastLines = (row) => `--- ${row.service} (${row.state}, ${row.health}): podman logs ${row.id.slice(0, 12)} ---\n${(capture('podman', ['logs', '--tail', '15', row.id]) ?? '').trimEnd()}`;

async function waitReady() {
  const deadline = Date.now() + UP_TIMEOUT_MS;
  for (;;) {
    const { rows, ready } = await describe();
    if (ready) return rows;
    const failed = rows.find((row) => row.failed);
    if (failed) throw new Error(`${failed.service} ${failed.state}\n${lastLines(failed)}`);
    if (Date.now() > deadline) {
      const waiting = rows.filter((row) => !row.ok);
      throw new Error(`not healthy after ${UP_TIMEOUT_MS / 60000} min: ${waiting.map((row) => row.service).join(', ')}\n${waiting.map(lastLines).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

const print = (rows) => rows.forEach((row) => process.stdout.write(`${row.service.padEnd(12)} ${row.state.padEnd(10)} ${row.health}\n`));

async function up() {
  await buildAll();
  const dockerHost = await ensureApiService();
  startTicker();
  await timed('compose up', async () => {
    await compose(['up', '--detach', '--no-build', '--remove-orphans'], dockerHost);
    print(await waitReady());
  });
}

async function down({ volumes = false } = {}) {
  const dockerHost = await ensureApiService();
  await timed('compose down', () => compose(['down', '--remove-orphans', ...(volumes ? ['--volumes'] : [])], dockerHost));
  stopTicker();
  if (stopApiService()) say('stopped the podman API service');
}

async function status() {
  await ensureApiService();
  const { rows, ready } = await describe();
  if (rows.length === 0) say(`no containers of project ${PROJECT}`);
  print(rows);
  say(`health checks run by ${isTicker(tickerPid()) ? `health-ticker (pid ${tickerPid()})` : 'nobody: run `up` again'}`);
  return ready ? 0 : 3;
}

module.exports = { up, down, status, describe, waitReady, PROJECT };
