'use strict';
// A few calls of podman's API on its unix socket (Docker-compatible paths, plus libpod's health check).
const http = require('node:http');
const { SOCKET } = require('./engine');

function request(method, path, { timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: SOCKET, method, path, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => {
        if (response.statusCode >= 400) return reject(new Error(`${method} ${path}: ${response.statusCode} ${body.trim()}`));
        resolve(body ? JSON.parse(body) : null);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** The compose project's containers, inspected (State.Health, Config.Healthcheck, compose labels). */
async function projectContainers(project) {
  const filters = encodeURIComponent(JSON.stringify({ label: [`com.docker.compose.project=${project}`] }));
  const listed = await request('GET', `/containers/json?all=true&filters=${filters}`);
  return Promise.all(listed.map((container) => request('GET', `/containers/${container.Id}/json`)));
}

/** Runs a container's health check once, as podman's systemd timer would (libpod API). */
const runHealthcheck = (id) => request('GET', `/v4.0.0/libpod/containers/${id}/healthcheck`);

module.exports = { request, projectContainers, runHealthcheck };
