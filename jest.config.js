'use strict';
// One runner for the three layers; `npm test` picks them by name:
//   *.spec.ts      unit, pure logic, no infrastructure
//   *.int-spec.ts  integration, against the real Kafka and PostgreSQL of the test run
//   *.e2e-spec.ts  end to end, through the built services' HTTP and Kafka
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));

const libs = ['auth', 'contracts', 'india', 'messaging', 'money', 'persistence', 'platform', 'testing'];
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  moduleNameMapper: {
    ...Object.fromEntries(libs.map((lib) => [`^@niryat/${lib}$`, `<rootDir>/libs/${lib}/src/index.ts`])),
    '^@niryat/simulator$': '<rootDir>/apps/simulator/src/index.ts',
  },
  setupFiles: ['<rootDir>/libs/testing/src/quiet-logs.js'],
  modulePathIgnorePatterns: ['<rootDir>/dist', '<rootDir>/.cache', '<rootDir>/.local'],
};

module.exports = {
  // Global only in jest: integration tests wait on real brokers and processes.
  testTimeout: 180_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts', '<rootDir>/k8s/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.js',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.js',
      slowTestThreshold: 60,
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.js',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.js',
    },
  ],
};
