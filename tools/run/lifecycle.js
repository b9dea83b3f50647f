'use strict';
// One way for `npm start` and `npm test` to learn they must stop: Ctrl-C (SIGINT), SIGTERM, or npm
// itself going away. npm runs scripts under `sh -c`, and a SIGTERM sent to npm alone stops npm and
// the shell without reaching node, so an orphaned script notices its parent changed and stops too.
function onStop(stop) {
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('npm exited');
  }, 500).unref();
}

module.exports = { onStop };
