#!/usr/bin/env node
'use strict';
// Runs the health checks of a compose project's containers at their intervals, which podman leaves
// to systemd timers, and these machines have no systemd: without this, a container's health stays
// "starting" and compose never starts what depends on it. Started detached by `containers up`,
// stopped by `containers down`; exits by itself once the project has had no container for a minute.
//   node tools/containers/health-ticker.js <project>
const { projectContainers, runHealthcheck } = require('./api');

const project = process.argv[2];
const TICK_MS = 1000;
const IDLE_EXIT_MS = 60000;
const lastRun = new Map();
const running = new Set();
let lastSeen = Date.now();

async function tick() {
  const containers = await projectContainers(project).catch(() => []);
  if (containers.length > 0) lastSeen = Date.now();
  else if (Date.now() - lastSeen > IDLE_EXIT_MS) process.exit(0);
  for (const container of containers) {
    const check = container.Config?.Healthcheck;
    if (!container.State?.Running || !check?.Test || check.Test[0] === 'NONE' || running.has(container.Id)) continue;
    const intervalMs = (check.Interval || 30e9) / 1e6;
    const last = lastRun.get(container.Id) ?? Date.parse(container.State.StartedAt);
    if (Date.now() - last < intervalMs) continue;
    running.add(container.Id);
    lastRun.set(container.Id, Date.now());
    runHealthcheck(container.Id)
      .catch(() => undefined) // a container that stopped meanwhile; its next start is seen at the next tick
      .finally(() => running.delete(container.Id));
  }
}

(async () => {
  for (;;) {
    await tick();
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
})();
