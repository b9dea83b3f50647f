import * as crypto from 'node:crypto';
import { CredentialStore } from './credential-store';
import { parseToken } from './credential-token';

const secret = crypto.randomBytes(32).toString('base64url');
const hash = crypto.createHash('sha256').update(secret).digest('hex');
const store = CredentialStore.fromConfig(`amazon-feed:partner:${hash}:amazon,rev-1:reviewer:${hash}`);

describe('parseToken', () => {
  it('splits niryat_<id>_<secret>, even when the secret contains _', () => {
    const withUnderscore = `${'_'.repeat(3)}${secret.slice(3)}`;
    expect(parseToken(`niryat_rev-1_${withUnderscore}`)).toEqual({ id: 'rev-1', secret: withUnderscore });
  });

  it.each(['', 'niryat_rev-1', `niryat_r_${secret}`, `niryat_rev-1_${secret}x`, `NIRYAT_rev-1_${secret}`, `niryat_Rev-1_${secret}`, secret])(
    'refuses %p',
    (token) => expect(parseToken(token)).toBeUndefined(),
  );
});

describe('CredentialStore', () => {
  afterEach(() => jest.restoreAllMocks());

  it('returns the principal, with the partner scope, for the right secret', () => {
    expect(store.verify({ id: 'amazon-feed', secret })).toEqual({ id: 'amazon-feed', role: 'partner', scope: 'amazon' });
    expect(store.verify({ id: 'rev-1', secret })).toEqual({ id: 'rev-1', role: 'reviewer' });
  });

  it('refuses a wrong secret and an unknown id alike', () => {
    const wrong = crypto.randomBytes(32).toString('base64url');
    expect(store.verify({ id: 'rev-1', secret: wrong })).toBeUndefined();
    expect(store.verify({ id: 'nobody', secret })).toBeUndefined();
  });

  it('compares hashes with crypto.timingSafeEqual, for unknown ids too', () => {
    // The module object credential-store.ts calls into (an `import * as` namespace is a copy).
    const compare = jest.spyOn(jest.requireActual<typeof crypto>('node:crypto'), 'timingSafeEqual');
    store.verify({ id: 'rev-1', secret });
    store.verify({ id: 'nobody', secret });
    expect(compare).toHaveBeenCalledTimes(2);
    for (const [a, b] of compare.mock.calls) {
      expect(Buffer.isBuffer(a) && Buffer.isBuffer(b)).toBe(true);
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it('keeps no secret, only the hash', () => {
    expect(JSON.stringify(Object.values(store))).not.toContain(secret);
  });
});
