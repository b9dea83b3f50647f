import { Body, Controller, HttpCode, INestApplication, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MESSAGING_MIGRATIONS } from '@niryat/messaging';
import { configureHttp, HTTP_APP_OPTIONS, httpLoggerOptions, loadEnv, PlatformModule } from '@niryat/platform';
import { serviceTestEnv, signPartnerRequest, uniqueSuffix } from '@niryat/testing';
import { PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { PartnerKeys1763900000001 } from '../src/database/migrations/1763900000001-partner-keys';
import { ExportsEnv } from '../src/exports.env';
import { AuthenticatedPartner, CurrentPartner, PartnerAuthModule, partnerAuthOptions, PartnerSigned } from '../src/partner-auth';

/**
 * The partner authentication layer in a Nest app built like the exports service (PlatformModule
 * with its global AuthGuard and error filter, configureHttp, HTTP_APP_OPTIONS) against the test
 * run's Postgres and Kafka, with a stand-in for the ingest controller that echoes the partner.
 */

function credential(id: string, role: string, scope?: string) {
  const secret = randomBytes(32).toString('base64url');
  const hash = createHash('sha256').update(secret).digest('hex');
  return { token: `niryat_${id}_${secret}`, entry: [id, role, hash, ...(scope ? [scope] : [])].join(':') };
}

const operator = credential('ops-partner-keys', 'operator');
const partnerBearer = credential('amazon-feed', 'partner', 'amazon');
const ECHO = '/v1/test/partner-echo';
const BODY_LIMIT = 4096;
const RATE_PER_MINUTE = 8;
const TOLERANCE = 300;

@Controller()
class PartnerEchoController {
  @Post(ECHO.slice(1))
  @HttpCode(200)
  @PartnerSigned()
  echo(@CurrentPartner() partner: AuthenticatedPartner, @Body() body: { events?: unknown[] }) {
    return { partner, events: body.events?.length ?? 0 };
  }
}

interface ErrorBody {
  error: { code: string; message: string; [detail: string]: unknown };
}
interface CreatedKey {
  keyId: string;
  partnerId: string;
  secret: string;
}

const namespace = `t-partner-auth-${uniqueSuffix()}`;

function exportsEnv(extra: Record<string, string>): ExportsEnv {
  return loadEnv(
    ExportsEnv,
    'exports',
    serviceTestEnv('exports', namespace, {
      AUTH_CREDENTIALS: [operator.entry, partnerBearer.entry].join(','),
      PARTNER_BODY_LIMIT_BYTES: String(BODY_LIMIT),
      PARTNER_RATE_LIMIT_PER_MINUTE: String(RATE_PER_MINUTE),
      PARTNER_SIGNATURE_TOLERANCE_SECONDS: String(TOLERANCE),
      ...extra,
    }),
  );
}

/** The app, with everything pino writes (HTTP lines and Nest's logger) kept in `logs`. */
async function startApp(env: ExportsEnv, logs: string[]): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({
        name: 'exports',
        env,
        migrations: [...MESSAGING_MIGRATIONS, PartnerKeys1763900000001],
        http: { jsonBodyLimitBytes: env.PARTNER_BODY_LIMIT_BYTES },
      }),
      PartnerAuthModule.forRoot(partnerAuthOptions(env)),
    ],
    controllers: [PartnerEchoController],
  })
    .overrideProvider(PARAMS_PROVIDER_TOKEN)
    .useValue({ pinoHttp: [httpLoggerOptions('exports', 'test', 'trace'), { write: (line: string) => logs.push(line) }] })
    .compile();
  const app = configureHttp(moduleRef.createNestApplication({ ...HTTP_APP_OPTIONS }), 'exports');
  return app.init();
}

const KEY_ENCRYPTION_KEY = randomBytes(32).toString('base64');
const events = (count: number) => JSON.stringify({ events: Array.from({ length: count }, (_, i) => ({ id: `evt-${i}`, type: 'order.created' })) });
const BODY = events(2);

describe('partner authentication (signed HTTP ingest, real Postgres)', () => {
  const logs: string[] = [];
  const secrets: string[] = [];
  let app: INestApplication;
  let stdout: jest.SpyInstance;
  let stderr: jest.SpyInstance;

  const http = () => request(app.getHttpServer());
  const asOperator = (token = operator.token) => ({ Authorization: `Bearer ${token}` });

  async function createKey(partnerId: string): Promise<CreatedKey> {
    const answer = await http().post(`/v1/partners/${partnerId}/keys`).set(asOperator());
    expect(answer.status).toBe(201);
    expect(answer.headers['cache-control']).toBe('no-store');
    secrets.push(answer.body.secret);
    return answer.body as CreatedKey;
  }

  let sent = 0;
  function signedPost(
    key: CreatedKey,
    options: { body?: string; timestamp?: number; alsoSignWith?: CreatedKey[]; secret?: string; upperCase?: boolean; to?: INestApplication } = {},
  ) {
    // A distinct request each time unless the test says otherwise: the same bytes again are a replay.
    const body = options.body ?? JSON.stringify({ events: JSON.parse(BODY).events, sent: (sent += 1) });
    const headers = signPartnerRequest({
      keyId: key.keyId,
      secret: options.secret ?? key.secret,
      body,
      timestamp: options.timestamp,
      alsoSignWith: options.alsoSignWith?.map((other) => other.secret),
    });
    const signature = options.upperCase ? { ...headers, 'X-Niryat-Signature': headers['X-Niryat-Signature'].replace(/[0-9a-f]{64}/g, (hex) => hex.toUpperCase()) } : headers;
    return request((options.to ?? app).getHttpServer()).post(ECHO).set('Content-Type', 'application/json').set(signature).send(body);
  }

  async function activeKeyIds(partnerId: string): Promise<string[]> {
    const answer = await http().get(`/v1/partners/${partnerId}/keys`).set(asOperator()).expect(200);
    return (answer.body.items as { keyId: string; status: string }[]).filter((k) => k.status === 'active').map((k) => k.keyId);
  }

  async function revokeAll(partnerId: string): Promise<void> {
    for (const keyId of await activeKeyIds(partnerId)) await http().delete(`/v1/partners/${partnerId}/keys/${keyId}`).set(asOperator()).expect(204);
  }

  beforeAll(async () => {
    stdout = jest.spyOn(process.stdout, 'write');
    stderr = jest.spyOn(process.stderr, 'write');
    app = await startApp(exportsEnv({ PARTNER_KEY_ENCRYPTION_KEY: KEY_ENCRYPTION_KEY }), logs);
  });
  afterAll(async () => {
    await app?.close();
    stdout.mockRestore();
    stderr.mockRestore();
  });

  describe('keys (operator API)', () => {
    it('creates keys for an operator: pk_ id and a 32-byte base64url secret, at most two active per partner', async () => {
      const first = await createKey('flipkart');
      const second = await createKey('flipkart');
      expect(first).toMatchObject({ partnerId: 'flipkart', keyId: expect.stringMatching(/^pk_[0-9a-f]{24}$/) });
      expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(first.secret, 'base64url')).toHaveLength(32);
      expect(second.keyId).not.toBe(first.keyId);

      const third = await http().post('/v1/partners/flipkart/keys').set(asOperator());
      expect(third.status).toBe(409);
      expect(third.body.error).toMatchObject({ code: 'PARTNER_AUTH.TOO_MANY_ACTIVE_KEYS', message: expect.stringContaining('revoke one') });
      expect([...third.body.error.activeKeyIds].sort()).toEqual([first.keyId, second.keyId].sort());
      // Keys of another partner are counted apart.
      await createKey('amazon');
    });

    it('serialises concurrent creations: of three at once for a partner with no key, two succeed and one is a 409', async () => {
      const answers = await Promise.all([1, 2, 3].map(() => http().post('/v1/partners/walmart/keys').set(asOperator())));
      for (const answer of answers) if (answer.status === 201) secrets.push(answer.body.secret);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 409]);
      expect(await activeKeyIds('walmart')).toHaveLength(2);
      await revokeAll('walmart');
    });

    it('lists keys without secrets', async () => {
      const answer = await http().get('/v1/partners/flipkart/keys').set(asOperator());
      expect(answer.status).toBe(200);
      expect(answer.body.items).toHaveLength(2);
      for (const item of answer.body.items) {
        expect(Object.keys(item).sort()).toEqual(['createdAt', 'createdBy', 'keyId', 'partnerId', 'revokedAt', 'revokedBy', 'status']);
        expect(item).toMatchObject({ partnerId: 'flipkart', status: 'active', createdBy: 'ops-partner-keys', revokedAt: null });
      }
      for (const secret of secrets) expect(answer.text).not.toContain(secret);
    });

    it('is for operators only, and for known partners only', async () => {
      expect((await http().post('/v1/partners/amazon/keys')).status).toBe(401);
      const partner = await http().post('/v1/partners/amazon/keys').set(asOperator(partnerBearer.token));
      expect(partner.status).toBe(403);
      expect(partner.body.error.code).toBe('AUTH.FORBIDDEN');
      expect((await http().get('/v1/partners/amazon/keys').set(asOperator(partnerBearer.token))).status).toBe(403);
      const unknown = await http().post('/v1/partners/ebay/keys').set(asOperator());
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.code).toBe('REQUEST.VALIDATION_FAILED');
    });

    it('answers 404 for revoking a key the partner does not have', async () => {
      const [amazonKey] = (await http().get('/v1/partners/amazon/keys').set(asOperator())).body.items;
      const wrongPartner = await http().delete(`/v1/partners/flipkart/keys/${amazonKey.keyId}`).set(asOperator());
      expect(wrongPartner.status).toBe(404);
      expect(wrongPartner.body.error.code).toBe('PARTNER_AUTH.KEY_NOT_FOUND');
      expect((await http().delete('/v1/partners/amazon/keys/pk_ffffffffffffffffffffffff').set(asOperator())).status).toBe(404);
    });
  });

  describe('signed requests', () => {
    let key: CreatedKey;
    let otherPartnerKey: CreatedKey;
    beforeAll(async () => {
      key = await createKey('walmart');
      otherPartnerKey = await createKey('amazon');
    });

    it('lets a correctly signed request through and tells the handler which partner and key signed it', async () => {
      const answer = await signedPost(key);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ partner: { partnerId: 'walmart', keyId: key.keyId }, events: 2 });
    });

    it('is public for bearer tokens: an operator token alone is not a signature', async () => {
      const answer = await http().post(ECHO).set(asOperator()).set('Content-Type', 'application/json').send(BODY);
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('PARTNER_AUTH.MISSING_SIGNATURE');
    });

    it('names the missing headers', async () => {
      const answer = await http().post(ECHO).set('Content-Type', 'application/json').set('X-Niryat-Key-Id', key.keyId).send(BODY);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Niryat-HMAC-SHA256/);
      expect(answer.body).toEqual({
        error: {
          code: 'PARTNER_AUTH.MISSING_SIGNATURE',
          message: 'signed request expected: missing header(s) X-Niryat-Timestamp, X-Niryat-Signature',
          missingHeaders: ['X-Niryat-Timestamp', 'X-Niryat-Signature'],
        },
      });
    });

    it('answers a wrong secret, a changed body, an unknown key id and another partner’s key id with the same 401', async () => {
      const wrongSecret = await signedPost(key, { secret: otherPartnerKey.secret });
      const headers = signPartnerRequest({ keyId: key.keyId, secret: key.secret, body: BODY });
      const changedBody = await http().post(ECHO).set('Content-Type', 'application/json').set(headers).send(events(3));
      const unknownKey = await signedPost({ ...key, keyId: 'pk_ffffffffffffffffffffffff' });
      const otherPartner = await signedPost({ ...otherPartnerKey, secret: key.secret });
      for (const answer of [wrongSecret, changedBody, unknownKey, otherPartner]) {
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual(wrongSecret.body);
      }
      expect(wrongSecret.body.error.code).toBe('PARTNER_AUTH.BAD_SIGNATURE');
    });

    it.each([
      ['past', -(TOLERANCE + 60)],
      ['future', TOLERANCE + 60],
    ])('refuses a correctly signed request whose timestamp is too far in the %s', async (_side, skew) => {
      const before = Math.floor(Date.now() / 1000);
      const answer = await signedPost(key, { timestamp: before + skew });
      expect(answer.status).toBe(401);
      const { error } = answer.body as ErrorBody;
      expect(error).toMatchObject({ code: 'PARTNER_AUTH.STALE_TIMESTAMP', toleranceSeconds: TOLERANCE });
      expect(error.serverTime).toBeGreaterThanOrEqual(before);
      expect(error.message).toContain(`within ${TOLERANCE} s of the server time, ${error.serverTime}`);
    });

    it('answers 415 to a signed body in a content type the service does not read', async () => {
      const headers = signPartnerRequest({ keyId: key.keyId, secret: key.secret, body: BODY });
      const answer = await http().post(ECHO).set('Content-Type', 'text/plain').set(headers).send(BODY);
      expect(answer.status).toBe(415);
      expect(answer.body.error.code).toBe('REQUEST.UNSUPPORTED_MEDIA_TYPE');
    });

    it('answers 413 REQUEST.TOO_LARGE in the platform’s error shape for a body over PARTNER_BODY_LIMIT_BYTES', async () => {
      let count = 1;
      while (events(count + 1).length <= BODY_LIMIT) count += 1;
      const largest = events(count);
      expect(largest.length).toBeGreaterThan(BODY_LIMIT - 100);
      expect((await signedPost(key, { body: largest })).status).toBe(200);

      const oversized = events(count + 1);
      const answer = await signedPost(key, { body: oversized });
      expect(answer.status).toBe(413);
      expect(answer.body).toEqual({ error: { code: 'REQUEST.TOO_LARGE', message: expect.any(String) } });
    });
  });

  describe('rotation', () => {
    it('accepts both keys while both are active, then only the new one once the old is revoked', async () => {
      await revokeAll('amazon');
      const current = await createKey('amazon');
      const next = await createKey('amazon');

      expect((await signedPost(current)).body.partner).toEqual({ partnerId: 'amazon', keyId: current.keyId });
      expect((await signedPost(next)).body.partner).toEqual({ partnerId: 'amazon', keyId: next.keyId });
      // A sender holding both keys sends both signatures, naming either key.
      expect((await signedPost(current, { alsoSignWith: [next] })).status).toBe(200);
      expect((await signedPost(next, { alsoSignWith: [current] })).status).toBe(200);

      await http().delete(`/v1/partners/amazon/keys/${current.keyId}`).set(asOperator()).expect(204);
      // Revoking again changes nothing.
      await http().delete(`/v1/partners/amazon/keys/${current.keyId}`).set(asOperator()).expect(204);

      // At once, in this instance: the key cache is invalidated by the revocation.
      const revoked = await signedPost(current, { alsoSignWith: [next] });
      expect(revoked.status).toBe(401);
      expect(revoked.body.error.code).toBe('PARTNER_AUTH.BAD_SIGNATURE');
      expect((await signedPost(current)).status).toBe(401);
      expect((await signedPost(next, { alsoSignWith: [current] })).status).toBe(200);

      const listed = (await http().get('/v1/partners/amazon/keys').set(asOperator())).body.items as { keyId: string; status: string }[];
      expect(listed.find((k) => k.keyId === current.keyId)).toMatchObject({ status: 'revoked', revokedBy: 'ops-partner-keys' });
      expect(await activeKeyIds('amazon')).toEqual([next.keyId]);
    });
  });

  describe('replays (an instance of its own: budgets are per instance)', () => {
    let fresh: INestApplication;
    beforeAll(async () => {
      fresh = await startApp(exportsEnv({ PARTNER_KEY_ENCRYPTION_KEY: KEY_ENCRYPTION_KEY }), []);
    });
    afterAll(() => fresh.close());

    it('answers a captured request replayed any number of times with 409 REPLAYED, spending none of the budget', async () => {
      await revokeAll('walmart');
      const key = await createKey('walmart');
      const timestamp = Math.floor(Date.now() / 1000);
      expect((await signedPost(key, { body: BODY, timestamp, to: fresh })).status).toBe(200);
      for (let i = 0; i < RATE_PER_MINUTE * 3; i += 1) {
        const replay = await signedPost(key, { body: BODY, timestamp, to: fresh });
        expect([replay.status, replay.body.error?.code]).toEqual([409, 'PARTNER_AUTH.REPLAYED']);
      }
      // The partner's own next requests still pass (the replays took nothing from its budget), one in upper-case hex.
      expect((await signedPost(key, { upperCase: true, to: fresh })).status).toBe(200);
      for (let i = 0; i < RATE_PER_MINUTE - 2; i += 1) expect((await signedPost(key, { to: fresh })).status).toBe(200);
      // The same events signed anew are a new request, charged: now over the budget.
      expect((await signedPost(key, { body: BODY, timestamp: timestamp - 1, to: fresh })).status).toBe(429);
      // Refused for the budget, not handled: the very same bytes are not a replay once the budget allows.
      expect((await signedPost(key, { body: BODY, timestamp: timestamp - 1, to: fresh })).body.error?.code).toBe('PARTNER_AUTH.RATE_LIMITED');
      await revokeAll('walmart');
    });
  });

  describe('rate limit', () => {
    it('answers 429 with Retry-After once a partner is over its budget; unauthenticated requests spend none of it', async () => {
      await revokeAll('flipkart');
      const key = await createKey('flipkart');
      // A flood with bad signatures naming the partner's key is refused before the limiter.
      for (let i = 0; i < RATE_PER_MINUTE * 2; i += 1) expect((await signedPost(key, { secret: 'not-the-secret' })).status).toBe(401);

      for (let i = 0; i < RATE_PER_MINUTE; i += 1) expect((await signedPost(key)).status).toBe(200);
      const limited = await signedPost(key);
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60 / RATE_PER_MINUTE + 1);
      expect(limited.body.error).toMatchObject({ code: 'PARTNER_AUTH.RATE_LIMITED', retryAfterSeconds: retryAfter, limitPerMinute: RATE_PER_MINUTE });

      // Still authenticated first: a bad signature is a 401 even while over the limit.
      expect((await signedPost(key, { secret: 'not-the-secret' })).status).toBe(401);
      // Other partners have their own budget.
      const walmart = await createKey('walmart');
      expect((await signedPost(walmart)).status).toBe(200);
    });
  });

  it('never writes a secret to the logs', async () => {
    const written = [...logs, ...stdout.mock.calls.map((call) => String(call[0])), ...stderr.mock.calls.map((call) => String(call[0]))].join('\n');
    // The capture works: request lines and key ids (safe to log) are there.
    expect(written).toContain('/v1/partners/flipkart/keys');
    expect(written).toMatch(/partner key pk_[0-9a-f]{24} created for flipkart by ops-partner-keys/);
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(written).not.toContain(secret);
  });
});

describe('partner authentication without PARTNER_KEY_ENCRYPTION_KEY', () => {
  const logs: string[] = [];
  let app: INestApplication;
  beforeAll(async () => {
    app = await startApp(exportsEnv({}), logs);
  });
  afterAll(() => app?.close());

  it('answers 503 PARTNER_AUTH.NOT_CONFIGURED to key creation and signed requests; the rest works', async () => {
    const server = app.getHttpServer();
    const create = await request(server).post('/v1/partners/amazon/keys').set({ Authorization: `Bearer ${operator.token}` });
    expect(create.status).toBe(503);
    expect(create.body.error).toMatchObject({ code: 'PARTNER_AUTH.NOT_CONFIGURED', message: expect.stringContaining('PARTNER_KEY_ENCRYPTION_KEY') });

    const headers = signPartnerRequest({ keyId: 'pk_ffffffffffffffffffffffff', secret: 'x', body: BODY });
    const signed = await request(server).post(ECHO).set('Content-Type', 'application/json').set(headers).send(BODY);
    expect(signed.status).toBe(503);
    expect(signed.body.error.code).toBe('PARTNER_AUTH.NOT_CONFIGURED');

    expect((await request(server).get('/v1/partners/amazon/keys').set({ Authorization: `Bearer ${operator.token}` })).status).toBe(200);
    expect((await request(server).get('/health')).status).toBe(200);
    expect(logs.join('\n')).toContain('PARTNER_KEY_ENCRYPTION_KEY is not set');
  });
});
