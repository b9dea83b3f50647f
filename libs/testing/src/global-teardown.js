'use strict';
const { stopInfra } = require('../../../tools/infra');

module.exports = async function globalTeardown() {
  const dir = process.env.NIRYAT_TEST_INFRA_DIR;
  if (!dir) return;
  delete process.env.NIRYAT_TEST_INFRA_DIR;
  await stopInfra({ profile: 'test', dir });
};
