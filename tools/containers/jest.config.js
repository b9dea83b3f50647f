'use strict';
// The compose test (e2e/compose.stack-spec.ts), outside npm test's projects until the image builds
// are fast enough for every run: `npm run containers -- test`. Same transform and aliases as e2e,
// without its global set-up (the stack brings its own Kafka and PostgreSQL).
const { projects } = require('../../jest.config.js');

const { globalSetup, globalTeardown, ...e2e } = projects.find((project) => project.displayName === 'e2e');
void globalSetup, void globalTeardown;

module.exports = {
  testTimeout: 15 * 60_000,
  projects: [{ ...e2e, displayName: 'compose', testMatch: ['<rootDir>/e2e/compose.stack-spec.ts'] }],
};
