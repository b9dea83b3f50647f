import 'reflect-metadata';
import { serviceDataSourceOptions } from '@niryat/persistence';
import { secureTestInfra, testInfra } from '@niryat/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { databaseTlsOf } from '../src/config/connections';
import { loadEnv, ServiceEnv } from '../src/config/service-env';

class DemoEnv extends ServiceEnv {
  override PORT = 3999;
}

const secure = secureTestInfra();
// The test PostgreSQL is the run's own (tools/infra), with TLS on; a DATABASE_URL given from outside may not be.
const withTls = secure.postgresTls ? describe : describe.skip;
if (!secure.postgresTls) process.stderr.write('database-tls.int-spec: skipped: the test PostgreSQL is an outside DATABASE_URL without the local TLS certificate\n');

withTls('PostgreSQL over TLS (DATABASE_SSL_MODE=verify-full)', () => {
  const { databaseUrl } = testInfra();
  const dir = mkdtempSync(join(tmpdir(), 'niryat-pg-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function connect(env: Record<string, string>, servername?: string): Promise<{ ssl: boolean }> {
    const loaded = loadEnv(DemoEnv, 'demo', { DATABASE_URL: databaseUrl, KAFKA_BROKERS: '127.0.0.1:9092', ...env });
    const tls = databaseTlsOf(loaded);
    const ssl = tls && servername ? { ...tls, servername } : tls;
    const dataSource = new DataSource({ ...serviceDataSourceOptions({ url: loaded.DATABASE_URL, schema: 'public', ssl }), extra: { connectionTimeoutMillis: 5_000 } });
    await dataSource.initialize();
    try {
      const [row] = (await dataSource.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')) as { ssl: boolean }[];
      return row;
    } finally {
      await dataSource.destroy();
    }
  }

  it('connects encrypted to a server whose certificate the CA signed, for the host it names', async () => {
    expect(await connect({ DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA: secure.caFile })).toEqual({ ssl: true });
  });

  it('refuses a server its CA did not sign', async () => {
    // A certificate authority of its own (any valid PEM CA that is not the local one): the system's bundle is not it either.
    const other = join(dir, 'other-ca.crt');
    writeFileSync(other, OTHER_CA);
    await expect(connect({ DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA: other })).rejects.toThrow(/self[- ]signed|unable to (get|verify)|certificate/i);
  });

  it('refuses a host name the certificate does not carry', async () => {
    // The name the client checks the certificate against (the URL's host; here set apart from the address dialled).
    await expect(connect({ DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA: secure.caFile }, 'db.niryat.example')).rejects.toThrow(/does not match|altnames/i);
  });

  it('stays unencrypted when told to disable it', async () => {
    expect(await connect({ DATABASE_SSL_MODE: 'disable' })).toEqual({ ssl: false });
  });
});

/** A throwaway self-signed CA (openssl req -x509 -newkey rsa:2048 -subj /CN=other), never trusted here. */
const OTHER_CA = `-----BEGIN CERTIFICATE-----
MIIDAzCCAeugAwIBAgIUNlyvY9UiXFPqBzblFaOwzCgYVJswDQYJKoZIhvcNAQEL
BQAwEDEOMAwGA1UEAwwFb3RoZXIwIBcNMjYxMjA3MjEyMTUyWhgPMjEyNjExMTMy
MTIxNTJaMBAxDjAMBgNVBAMMBW90aGVyMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A
MIIBCgKCAQEApD5s1lSe6AqBWlpNynuwhf752H5FovIpmqB2q9lEswxn5oDUB3Xv
lBJM6ArKodW+p8dncXKj/9X6+Ht8QhPUnzkKISopFAjaOH4huEHJ0uGN9hkBgfK8
sa+CgduvxJUdkUp4LzqPBiUt7YBWWSFtZSUaK92IOzBvxWtEZeBtGdBtUrJ4nLN0
W9yhOt0KgtGkQodHHBjWVWCe8IuektBHG0s1u62wd8lHEO8WW6ysyccnj30zQG8w
LWeja1n9AEY+rEhybspzeDVqSdGfoFs8AjuS8peckGggsgLvFidy7yOd4PwnEe/6
vcNLw3CqzfKL9IFwcE+kgP4RQxeEjyTqmQIDAQABo1MwUTAdBgNVHQ4EFgQUTGru
vHYRPvLFlGlN6FQ4bKSCXVswHwYDVR0jBBgwFoAUTGruvHYRPvLFlGlN6FQ4bKSC
XVswDwYDVR0TAQH/BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAXShIDJcjhSZ0
HMokCqjO4hC52POI67NgFfWLORYtnQcYrOJpPXjBVsFf3BMgSEj1+4VXWYca4hmd
u0ozO1ekudXGCbZrdkhOa69IiFJZ342zjQ2aD87d787hYBiw+zoyyPi4m0n8a0Kv
oC2rjGYP+nODceOtT7CbH0GcqfLfXt0ykLPPznhieO86JSTY9UHYJgBNXbjPNVer
dHdF9UjTkX2wVSkgIHbED2cetr3GuuNgeMO1Gi1KlG13PtqhnW7VUGVr52n9a04F
J9kJf24b7LjdHL69HP3Mp/C9jd5DY9tzyN7QIkGt90AsbyFY0IZzdzfSMhXhxzoC
F+KS5z/A0w==
-----END CERTIFICATE-----
`;
