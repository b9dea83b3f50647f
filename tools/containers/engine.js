'use strict';
// The container engine of the development machines: Debian's podman, run by root, with runc, and
// its Docker-compatible API on a unix socket for the compose client and testcontainers.
//
// Why this configuration (issue 17): podman's default runtime, crun, cannot start a container
// here ("setrlimit RLIMIT_NOFILE: Operation not permitted", then "cgroups in hybrid mode not
// supported"); runc can, once no default ulimits are applied and cgroups are managed by podman
// itself (cgroupfs: there is no systemd). Without systemd podman also cannot schedule health
// checks (it asks systemd for a timer), so health-ticker.js runs them.
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { run, capture, say } = require('./sh');

const ROOT = path.resolve(__dirname, '..', '..');
const STATE_DIR = path.join(ROOT, '.local', 'containers');
const SOCKET = '/run/podman/podman.sock';
const DOCKER_HOST = `unix://${SOCKET}`;
// A drop-in, so a machine's own containers.conf stays as it is.
const CONF_FILE = '/etc/containers/containers.conf.d/niryat.conf';
const CONF = `# Written by tools/containers (npm run containers -- setup); see tools/containers/engine.js for why.
[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "runc"
`;
// --no-install-recommends: docker-compose recommends docker.io, a second engine nobody runs here.
// catatonit is podman's `init: true`; netavark and aardvark-dns give compose's network its DNS.
const PACKAGES = ['podman', 'runc', 'catatonit', 'netavark', 'aardvark-dns', 'iptables', 'uidmap', 'debootstrap', 'docker-compose'];

const installed = (name) => /install ok installed/.test(capture('dpkg-query', ['-W', '-f=${Status}', name]) ?? '');

/** Why no engine can be used here, or null when podman answers. */
function engineUnavailable() {
  if (capture('podman', ['--version']) === null) return 'podman is not installed (npm run containers -- setup installs it, as root on Debian)';
  if (!fs.existsSync(CONF_FILE) && process.getuid?.() === 0) return `${CONF_FILE} is missing (npm run containers -- setup writes it)`;
  if (capture('podman', ['info', '--format', '{{.Host.OCIRuntime.Name}}']) === null) return 'podman info fails';
  return null;
}

async function setup() {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !fs.existsSync('/etc/debian_version')) {
    throw new Error('setup installs podman with apt-get: it needs root on Debian (elsewhere, install podman or Docker yourself)');
  }
  const missing = PACKAGES.filter((name) => !installed(name));
  if (missing.length > 0) {
    say(`installing ${missing.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update', '-qq'], { env });
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  } else {
    say(`installed already: ${PACKAGES.join(' ')}`);
  }
  if (fs.readFileSync(CONF_FILE, { encoding: 'utf8', flag: 'a+' }) !== CONF) {
    fs.mkdirSync(path.dirname(CONF_FILE), { recursive: true });
    fs.writeFileSync(CONF_FILE, CONF);
    say(`wrote ${CONF_FILE}`);
  }
  const reason = engineUnavailable();
  if (reason) throw new Error(`podman still unusable after setup: ${reason}`);
}

/** GET /_ping on the API socket. */
function ping() {
  return new Promise((resolve) => {
    const request = http.get({ socketPath: SOCKET, path: '/_ping', timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

const servicePidFile = path.join(STATE_DIR, 'podman-service.pid');

/** Podman's Docker API on SOCKET, started detached when nothing answers there (it outlives this command). */
async function ensureApiService() {
  if (await ping()) return DOCKER_HOST;
  fs.mkdirSync(STATE_DIR, { recursive: true });
  fs.mkdirSync(path.dirname(SOCKET), { recursive: true });
  const log = fs.openSync(path.join(STATE_DIR, 'podman-service.log'), 'a');
  const child = spawn('podman', ['system', 'service', '--time=0', DOCKER_HOST], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  fs.writeFileSync(servicePidFile, `${child.pid}\n`);
  for (let i = 0; i < 100; i++) {
    if (await ping()) {
      say(`podman API service on ${SOCKET} (pid ${child.pid})`);
      return DOCKER_HOST;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`podman system service did not answer on ${SOCKET}: see ${path.join(STATE_DIR, 'podman-service.log')}`);
}

/** Stops the API service this tool started (never one somebody else runs). */
function stopApiService() {
  const pid = Number(fs.readFileSync(servicePidFile, { encoding: 'utf8', flag: 'a+' }).trim());
  fs.rmSync(servicePidFile, { force: true });
  if (!pid || !(capture('ps', ['-o', 'args=', '-p', String(pid)]) ?? '').includes('podman system service')) return false;
  process.kill(pid, 'SIGTERM');
  return true;
}

module.exports = { ROOT, STATE_DIR, SOCKET, DOCKER_HOST, setup, engineUnavailable, ensureApiService, stopApiService, ping };
