'use strict';
// Process and port helpers shared by kafka.js, postgres.js and index.js.
// The servers outlive the Node process that starts them, so everything here
// works from pid files and /proc rather than from ChildProcess handles.

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function readPid(file) {
  try {
    const pid = parseInt(fs.readFileSync(file, 'utf8').split('\n')[0], 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
}

function writePid(file, pid) {
  fs.writeFileSync(file, `${pid}\n`);
}

function removeFile(file) {
  fs.rmSync(file, { force: true });
}

// A reaped-but-unwaited child still answers kill(0); /proc tells zombies apart.
function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user (e.g. Postgres run as its own user).
    if (err.code !== 'EPERM') return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

// Guards against pid reuse: a stale pid file may now name an unrelated process.
// Returns null where /proc is not available, meaning "cannot tell".
function cmdlineOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return null;
  }
}

// Finds processes whose command line contains `needle`, so `stop` can still
// clean up a server whose pid file was deleted. Linux only; [] elsewhere.
function findPids(needle) {
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  return entries
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .map(Number)
    .filter((pid) => {
      const cmd = cmdlineOf(pid);
      return cmd !== null && cmd.includes(needle) && isAlive(pid);
    });
}

async function waitFor(predicate, { timeoutMs = 30000, intervalMs = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value;
      lastError = undefined;
    } catch (err) {
      // A predicate may declare the wait hopeless (e.g. the server process died).
      if (err && err.fatal) throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const why = lastError ? ` (last error: ${lastError.message || lastError})` : '';
      throw new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${why}`);
    }
    await sleep(intervalMs);
  }
}

async function stopPid(pid, { graceMs = 20000, signal = 'SIGTERM' } = {}) {
  if (!isAlive(pid)) return { stopped: false, killed: false };
  try {
    process.kill(pid, signal);
  } catch (err) {
    if (err.code === 'ESRCH') return { stopped: true, killed: false };
    throw err;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return { stopped: true, killed: false };
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if (err.code !== 'ESRCH') throw err;
  }
  await waitFor(() => !isAlive(pid), { timeoutMs: 5000, what: `pid ${pid} to exit after SIGKILL` });
  return { stopped: true, killed: true };
}

// The port is only free at the moment we look; the caller binds it soon after,
// which is good enough for a single developer machine or CI box.
function findFreePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function probePort(port, { host = '127.0.0.1', timeoutMs = 1000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function tailFile(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

// Runs a short-lived command and collects its output. Resolves on 'exit', not
// 'close': pg_ctl leaves a daemon behind that could keep inherited pipes open.
function run(cmd, args, { cwd, env, uid, gid, timeoutMs = 120000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, uid, gid, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // Let already-buffered output arrive before handing it back.
      setImmediate(() => resolve({ code, signal, output }));
    });
  });
}

// Serialises start/stop on one directory: Nx may run several jest projects at
// once, each with a globalSetup that starts the same test infrastructure.
async function withLock(dir, fn, { timeoutMs = 180000 } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const lockDir = path.join(dir, '.infra.lock');
  const owner = path.join(lockDir, 'pid');
  await waitFor(
    () => {
      try {
        fs.mkdirSync(lockDir);
        writePid(owner, process.pid);
        return true;
      } catch (err) {
        if (err.code !== 'EEXIST') throw err;
        const holder = readPid(owner);
        // A holder that died (or never wrote its pid and is long gone) leaves a stale lock.
        const stale = holder ? !isAlive(holder) : Date.now() - fs.statSync(lockDir).mtimeMs > 10000;
        if (stale) fs.rmSync(lockDir, { recursive: true, force: true });
        return false;
      }
    },
    { timeoutMs, intervalMs: 200, what: `the lock ${lockDir} (held by pid ${readPid(owner)})` },
  );
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

module.exports = {
  sleep,
  readPid,
  writePid,
  removeFile,
  isAlive,
  cmdlineOf,
  findPids,
  waitFor,
  stopPid,
  findFreePort,
  probePort,
  tailFile,
  run,
  withLock,
};
