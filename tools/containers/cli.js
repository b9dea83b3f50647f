#!/usr/bin/env node
'use strict';
// npm run containers -- setup|build|up|down|status   (node tools/containers/cli.js ...)
const { setup, engineUnavailable } = require('./engine');
const { say } = require('./sh');

const USAGE = `usage: npm run containers -- <setup|build|up|down|status> [--volumes]

  setup   install podman, runc and a compose client where missing (root, Debian), configure podman
  build   build the images: a Debian base (once), Node, the services (Dockerfile), Kafka, PostgreSQL;
          each only when its inputs changed
  up      build, then start the compose stack (docker-compose.yml) on podman; waits until healthy
  down    stop and remove the stack's containers (--volumes: and its data)
  status  the stack's containers and their health; exit 3 when a service is not healthy
  test    the compose test (e2e/compose.stack-spec.ts): up, traffic through every service, down`;

/** Jest on the compose test alone; it skips itself, saying why, where no engine is set up. */
function jest(args) {
  const { spawnSync } = require('node:child_process');
  const path = require('node:path');
  const bin = path.join(__dirname, '..', '..', 'node_modules', 'jest', 'bin', 'jest.js');
  return spawnSync(process.execPath, [bin, '-c', path.join(__dirname, 'jest.config.js'), '--runInBand', ...args], { stdio: 'inherit' }).status ?? 1;
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') return say(USAGE);
  if (command === 'setup') return setup();
  if (command === 'test') return jest(rest);
  const reason = engineUnavailable();
  if (reason) throw new Error(`no container engine: ${reason}`);
  if (command === 'build') return require('./images').buildAll();
  const compose = require('./compose');
  if (command === 'up') return compose.up();
  if (command === 'down') return compose.down({ volumes: rest.includes('--volumes') || rest.includes('-v') });
  if (command === 'status') return compose.status();
  throw new Error(`unknown command ${command}\n${USAGE}`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(typeof code === 'number' ? code : 0),
  (error) => {
    say(error.message);
    process.exit(1);
  },
);
