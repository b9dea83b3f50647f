'use strict';
// Running the engine's commands: `run` streams their output (builds, apt), `capture` returns it.
const { spawn, spawnSync } = require('node:child_process');

/** Runs a command with its output on this terminal (stderr), or piped into `input`; rejects on a non-zero exit. */
function run(command, args, { cwd, env, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: [input ? 'pipe' : 'ignore', process.stderr, process.stderr] });
    if (input) input.pipe(child.stdin);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')}: exit ${signal ?? code}`)),
    );
  });
}

/** Runs a short command and returns its stdout, or null when it fails or is not installed. */
function capture(command, args, { cwd, env } = {}) {
  const result = spawnSync(command, args, { cwd, env: env ?? process.env, encoding: 'utf8', maxBuffer: 64 << 20 });
  return result.status === 0 ? result.stdout : null;
}

const say = (line) => process.stderr.write(`[containers] ${line}\n`);

async function timed(what, fn) {
  const started = Date.now();
  const result = await fn();
  say(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

module.exports = { run, capture, say, timed };
