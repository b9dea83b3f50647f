import { signPartnerRequest } from '@niryat/testing';
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ActivePartnerKey, assertFreshTimestamp, matchesAny, verifyPartnerSignature } from './partner-signature';

const NOW_MS = 1_763_900_000_500;
const NOW = Math.floor(NOW_MS / 1000);
const TOLERANCE = 300;

function key(partnerId: string, keyId: string) {
  const secret = randomBytes(32).toString('base64url');
  return { secret, active: { partnerId, keyId, secret: Buffer.from(secret, 'utf8') } satisfies ActivePartnerKey };
}

const oldKey = key('flipkart', 'pk_000000000000000000000001');
const newKey = key('flipkart', 'pk_000000000000000000000002');
const otherPartner = key('amazon', 'pk_000000000000000000000003');
const body = JSON.stringify({ events: [{ id: 'e-1', type: 'order.created', amount: '₹1,200' }] });

function headersOf(signed: Record<string, string>): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(signed).map(([name, value]) => [name.toLowerCase(), value]));
}

function verify(signed: Record<string, string>, options: { active?: ActivePartnerKey[]; rawBody?: string; nowMs?: number } = {}) {
  const active = new Map((options.active ?? [oldKey.active, newKey.active, otherPartner.active]).map((k) => [k.keyId, k]));
  return verifyPartnerSignature({
    headers: headersOf(signed),
    rawBody: Buffer.from(options.rawBody ?? body, 'utf8'),
    nowMs: options.nowMs ?? NOW_MS,
    toleranceSeconds: TOLERANCE,
    findKey: async (keyId) => active.get(keyId),
  });
}

const signed = (k: { secret: string; active: ActivePartnerKey }, extra: Partial<Parameters<typeof signPartnerRequest>[0]> = {}) =>
  signPartnerRequest({ keyId: k.active.keyId, secret: k.secret, body, timestamp: NOW, ...extra });

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; status: number; message: string; details?: Record<string, unknown> };
  }
  throw new Error('expected the verification to fail');
}

describe('verifyPartnerSignature', () => {
  it('accepts a request signed with an active key and names its partner and key', async () => {
    await expect(verify(signed(oldKey))).resolves.toEqual({ partnerId: 'flipkart', keyId: oldKey.active.keyId });
  });

  it('checks the raw bytes: the same JSON re-serialized, or one byte changed, does not verify', async () => {
    const headers = signed(oldKey);
    const reformatted = JSON.stringify(JSON.parse(body), null, 2);
    expect(await failure(verify(headers, { rawBody: reformatted }))).toMatchObject({ code: 'PARTNER_AUTH.BAD_SIGNATURE', status: 401 });
    expect(await failure(verify(headers, { rawBody: body.replace('1,200', '1,201') }))).toMatchObject({ code: 'PARTNER_AUTH.BAD_SIGNATURE' });
  });

  it('signs the timestamp too: a signature moved to another timestamp does not verify', async () => {
    const headers = { ...signed(oldKey), 'X-Niryat-Timestamp': String(NOW + 1) };
    expect(await failure(verify(headers))).toMatchObject({ code: 'PARTNER_AUTH.BAD_SIGNATURE' });
  });

  it('answers an unknown key id, a revoked key and a wrong secret with the same 401', async () => {
    const wrongSecret = await failure(verify(signPartnerRequest({ keyId: oldKey.active.keyId, secret: newKey.secret, body, timestamp: NOW })));
    const unknown = await failure(verify(signPartnerRequest({ keyId: 'pk_ffffffffffffffffffffffff', secret: oldKey.secret, body, timestamp: NOW })));
    const revoked = await failure(verify(signed(oldKey), { active: [newKey.active] }));
    const malformedId = await failure(verify(signPartnerRequest({ keyId: 'nope', secret: oldKey.secret, body, timestamp: NOW })));
    for (const error of [unknown, revoked, malformedId]) {
      expect({ code: error.code, status: error.status, message: error.message }).toEqual({
        code: wrongSecret.code,
        status: wrongSecret.status,
        message: wrongSecret.message,
      });
    }
    expect(wrongSecret).toMatchObject({ code: 'PARTNER_AUTH.BAD_SIGNATURE', status: 401 });
  });

  it("does not accept one partner's key id with another partner's secret", async () => {
    const headers = signPartnerRequest({ keyId: otherPartner.active.keyId, secret: oldKey.secret, body, timestamp: NOW });
    expect(await failure(verify(headers))).toMatchObject({ code: 'PARTNER_AUTH.BAD_SIGNATURE' });
  });

  describe('rotation: two active keys, a sender holding both', () => {
    it('accepts either key alone', async () => {
      await expect(verify(signed(oldKey))).resolves.toMatchObject({ keyId: oldKey.active.keyId });
      await expect(verify(signed(newKey))).resolves.toMatchObject({ keyId: newKey.active.keyId });
    });

    it('accepts both signatures in one header, whichever key id is named, in either order', async () => {
      const both = signed(oldKey, { alsoSignWith: [newKey.secret] });
      expect(both['X-Niryat-Signature']).toMatch(/^v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
      await expect(verify(both)).resolves.toEqual({ partnerId: 'flipkart', keyId: oldKey.active.keyId });
      await expect(verify(signed(newKey, { alsoSignWith: [oldKey.secret] }))).resolves.toMatchObject({ keyId: newKey.active.keyId });
      const spaced = { ...both, 'X-Niryat-Signature': both['X-Niryat-Signature'].split(',').reverse().join(', ') };
      await expect(verify(spaced)).resolves.toMatchObject({ keyId: oldKey.active.keyId });
    });

    it('after the old key is revoked, accepts the new key and refuses the old one even alongside the new signature', async () => {
      const afterRevoke = { active: [newKey.active] };
      await expect(verify(signed(newKey, { alsoSignWith: [oldKey.secret] }), afterRevoke)).resolves.toMatchObject({ keyId: newKey.active.keyId });
      expect(await failure(verify(signed(oldKey, { alsoSignWith: [newKey.secret] }), afterRevoke))).toMatchObject({
        code: 'PARTNER_AUTH.BAD_SIGNATURE',
      });
    });

    it('ignores values of other schemes but needs at least one v1', async () => {
      const headers = signed(oldKey);
      await expect(verify({ ...headers, 'X-Niryat-Signature': `v2=abc,${headers['X-Niryat-Signature']}` })).resolves.toMatchObject({
        keyId: oldKey.active.keyId,
      });
      expect(await failure(verify({ ...headers, 'X-Niryat-Signature': 'v2=abc' }))).toMatchObject({ code: 'PARTNER_AUTH.MALFORMED_SIGNATURE', status: 401 });
    });
  });

  describe('timestamp window', () => {
    it.each([
      ['past', -TOLERANCE],
      ['future', TOLERANCE],
    ])('accepts a timestamp exactly at the edge of the window in the %s', async (_side, skew) => {
      await expect(verify(signed(oldKey, { timestamp: NOW + skew }))).resolves.toMatchObject({ keyId: oldKey.active.keyId });
    });

    it.each([
      ['past', -TOLERANCE - 1, `${TOLERANCE + 1} s in the past`],
      ['future', TOLERANCE + 1, `${TOLERANCE + 1} s in the future`],
    ])('refuses a correctly signed request one second beyond the window in the %s, saying the window and the server time', async (_side, skew, said) => {
      const error = await failure(verify(signed(oldKey, { timestamp: NOW + skew })));
      expect(error).toMatchObject({ code: 'PARTNER_AUTH.STALE_TIMESTAMP', status: 401, details: { serverTime: NOW, toleranceSeconds: TOLERANCE } });
      expect(error.message).toContain(said);
      expect(error.message).toContain(`within ${TOLERANCE} s of the server time, ${NOW}`);
    });

    it('compares against whole server seconds', () => {
      expect(() => assertFreshTimestamp(NOW - 10, (NOW + 10) * 1000 + 999, 20)).not.toThrow();
    });
  });

  describe('headers', () => {
    it('names every missing header', async () => {
      const error = await failure(verify({ 'X-Niryat-Timestamp': String(NOW) }));
      expect(error).toMatchObject({
        code: 'PARTNER_AUTH.MISSING_SIGNATURE',
        status: 401,
        details: { missingHeaders: ['X-Niryat-Key-Id', 'X-Niryat-Signature'] },
      });
      expect(error.message).toContain('X-Niryat-Key-Id, X-Niryat-Signature');
    });

    it.each([
      ['a timestamp in milliseconds as a decimal', { 'X-Niryat-Timestamp': '1763900000.5' }],
      ['an ISO timestamp', { 'X-Niryat-Timestamp': '2025-11-23T12:00:00Z' }],
      ['a signature that is not hex', { 'X-Niryat-Signature': `v1=${'z'.repeat(64)}` }],
      ['a truncated signature', { 'X-Niryat-Signature': `v1=${'a'.repeat(63)}` }],
      ['too many signatures', { 'X-Niryat-Signature': Array.from({ length: 6 }, () => `v1=${'a'.repeat(64)}`).join(',') }],
    ])('refuses %s as malformed', async (_what, override) => {
      expect(await failure(verify({ ...signed(oldKey), ...override }))).toMatchObject({ code: 'PARTNER_AUTH.MALFORMED_SIGNATURE', status: 401 });
    });
  });
});

describe('matchesAny', () => {
  it('compares equal-length buffers only and finds a match in any position', () => {
    const expected = randomBytes(32);
    expect(matchesAny(expected, [randomBytes(32), Buffer.from(expected)])).toBe(true);
    expect(matchesAny(expected, [randomBytes(32)])).toBe(false);
    expect(matchesAny(expected, [expected.subarray(0, 16)])).toBe(false);
    expect(matchesAny(expected, [])).toBe(false);
  });
});
