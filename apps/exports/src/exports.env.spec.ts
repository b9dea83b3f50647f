import 'reflect-metadata';
import { loadEnv } from '@niryat/platform';
import { ExportsEnv } from './exports.env';

const good = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5433/niryat', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('ExportsEnv', () => {
  it('starts without a partner key encryption key when compose passes it on unset (`${PARTNER_KEY_ENCRYPTION_KEY:-}`): it used to crash-loop', () => {
    expect(loadEnv(ExportsEnv, 'exports', { ...good, PARTNER_KEY_ENCRYPTION_KEY: '' }).PARTNER_KEY_ENCRYPTION_KEY).toBeUndefined();
  });

  it('still refuses a key that is set but not 32 bytes of base64', () => {
    expect(() => loadEnv(ExportsEnv, 'exports', { ...good, PARTNER_KEY_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow('PARTNER_KEY_ENCRYPTION_KEY must be 32 bytes in base64');
  });
});
