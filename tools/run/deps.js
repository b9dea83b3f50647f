'use strict';
// Installs dependencies when they are missing or older than the lockfile, and Debian's Chromium for
// the browser tests when it is missing. Node builtins only: this runs before node_modules exists on
// a fresh clone.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');

/** Where the browser tests find Chromium: `CHROMIUM_PATH`, or Debian's `chromium` package. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const chromiumPath = () => process.env.CHROMIUM_PATH || DEBIAN_CHROMIUM;

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function dependenciesCurrent() {
  const installed = mtime(path.join(ROOT, 'node_modules', '.package-lock.json'));
  return installed > 0 && installed >= mtime(path.join(ROOT, 'package-lock.json')) && installed >= mtime(path.join(ROOT, 'package.json'));
}

function ensureNodeModules(log) {
  if (dependenciesCurrent()) return false;
  // `npm install`, not `npm ci`: it installs the locked versions all the same, but npm 11 leaves
  // other platforms' optional binaries (swc, nx) out of a lockfile written here, and `npm ci`
  // refuses such a lockfile as out of sync.
  log('installing dependencies (npm install, versions from package-lock.json) ...');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm install failed with exit code ${result.status}`);
  return true;
}

/**
 * The dashboard's browser test drives Debian's `chromium` with playwright-core, which never
 * downloads a browser of its own. As root it is installed with apt-get; anyone else is told how.
 */
function ensureChromium(log) {
  const executable = chromiumPath();
  if (fs.existsSync(executable)) return false;
  if (process.env.CHROMIUM_PATH) {
    throw new Error(`CHROMIUM_PATH is ${executable}, which does not exist: point it at a Chromium executable, or unset it to use Debian's chromium (${DEBIAN_CHROMIUM})`);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(
      `${DEBIAN_CHROMIUM} is missing and the browser tests need it: install Debian's chromium as root ` +
        `(sudo apt-get install -y chromium), or set CHROMIUM_PATH to a Chromium executable, then run again`,
    );
  }
  log(`installing Debian's chromium for the browser tests (apt-get install -y chromium; ${DEBIAN_CHROMIUM} is missing) ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Two test runs at once wait for each other's apt-get rather than fail on its lock.
  const aptGet = (...args) => spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], { stdio: 'inherit', env }).status;
  const install = () => aptGet('install', '-y', '--no-install-recommends', 'chromium');
  // A fresh machine may have no package lists yet (or stale ones naming versions long gone).
  if (install() !== 0) {
    log('apt-get install failed; updating the package lists (apt-get update) and trying again ...');
    if (aptGet('update') !== 0) throw new Error('apt-get update failed: cannot install chromium for the browser tests');
    if (install() !== 0) throw new Error('apt-get install -y chromium failed: the browser tests need Debian\'s chromium');
  }
  if (!fs.existsSync(executable)) throw new Error(`apt-get installed chromium, but ${executable} is still missing`);
  return true;
}

/** npm packages always; Chromium only for `{ browser: true }` (the tests), since the services never need it. */
function ensureDependencies(log = (line) => process.stderr.write(`${line}\n`), { browser = false } = {}) {
  const installed = ensureNodeModules(log);
  return (browser && ensureChromium(log)) || installed;
}

module.exports = { ensureDependencies, chromiumPath, ROOT };
