'use strict';
// Installs dependencies when they are missing or older than the lockfile. Node builtins only:
// this runs before node_modules exists on a fresh clone.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');

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

function ensureDependencies(log = (line) => process.stderr.write(`${line}\n`)) {
  if (dependenciesCurrent()) return false;
  // `npm install`, not `npm ci`: it installs the locked versions all the same, but npm 11 leaves
  // other platforms' optional binaries (swc, nx) out of a lockfile written here, and `npm ci`
  // refuses such a lockfile as out of sync.
  log('installing dependencies (npm install, versions from package-lock.json) ...');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm install failed with exit code ${result.status}`);
  return true;
}

module.exports = { ensureDependencies, ROOT };
