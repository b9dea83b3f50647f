'use strict';
// Jest global setup for the integration and e2e layers. `npm test` starts the infrastructure
// itself and passes it in through the environment; a bare `npx jest` starts its own here.
const path = require('node:path');
const { startInfra } = require('../../../tools/infra');

module.exports = async function globalSetup() {
  if (process.env.KAFKA_BROKERS && process.env.DATABASE_URL) return;
  // Where the secure listener's address, CA and passwords are (secureTestInfra in test-env.ts).
  process.env.NIRYAT_TEST_INFRA_FILE = path.resolve(__dirname, '../../../.local', `jest-${process.pid}`, 'infra.json');
  const dir = path.resolve(__dirname, '../../../.local', `jest-${process.pid}`);
  const info = await startInfra({ profile: 'test', dir, log: (line) => process.stderr.write(`${line}\n`) });
  process.env.KAFKA_BROKERS = info.kafka.brokers;
  process.env.DATABASE_URL = info.postgres.url;
  process.env.NIRYAT_TEST_INFRA_DIR = dir;
};
