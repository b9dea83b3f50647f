import { HttpStatus } from '@nestjs/common';
import { DomainError } from '@niryat/platform';
import { randomBytes } from 'node:crypto';
import { PartnerKeyCipher, SealedSecret } from './partner-key-cipher';

const owner = { partnerId: 'flipkart', keyId: 'pk_0123456789abcdef01234567' };
const secret = Buffer.from(randomBytes(32).toString('base64url'), 'utf8');
const flipped = (buffer: Buffer, at = 0) => {
  const copy = Buffer.from(buffer);
  copy[at] ^= 0x01;
  return copy;
};

describe('PartnerKeyCipher (AES-256-GCM, partner and key id authenticated)', () => {
  const cipher = new PartnerKeyCipher(randomBytes(32).toString('base64'));
  let sealed: SealedSecret;
  beforeAll(() => {
    sealed = cipher.seal(secret, owner);
  });

  it('opens what it sealed, and never stores the secret in clear', () => {
    expect(cipher.open(sealed, owner)).toEqual(secret);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.tag).toHaveLength(16);
    expect(sealed.ciphertext.includes(secret)).toBe(false);
  });

  it('uses a fresh IV each time', () => {
    const again = cipher.seal(secret, owner);
    expect(again.iv.equals(sealed.iv)).toBe(false);
    expect(again.ciphertext.equals(sealed.ciphertext)).toBe(false);
  });

  it.each([
    ['ciphertext', (s: SealedSecret) => ({ ...s, ciphertext: flipped(s.ciphertext, 5) })],
    ['IV', (s: SealedSecret) => ({ ...s, iv: flipped(s.iv) })],
    ['tag', (s: SealedSecret) => ({ ...s, tag: flipped(s.tag, 15) })],
  ])('refuses a tampered %s', (_part, tamper) => {
    expect(() => cipher.open(tamper(sealed), owner)).toThrow();
  });

  it('refuses a ciphertext moved to another key id or partner (the row is authenticated data)', () => {
    expect(() => cipher.open(sealed, { ...owner, keyId: 'pk_ffffffffffffffffffffffff' })).toThrow();
    expect(() => cipher.open(sealed, { ...owner, partnerId: 'amazon' })).toThrow();
  });

  it('refuses what another encryption key sealed', () => {
    expect(() => new PartnerKeyCipher(randomBytes(32).toString('base64')).open(sealed, owner)).toThrow();
  });

  it('without PARTNER_KEY_ENCRYPTION_KEY answers every use with 503 PARTNER_AUTH.NOT_CONFIGURED', () => {
    const unconfigured = new PartnerKeyCipher(undefined);
    expect(unconfigured.configured).toBe(false);
    for (const use of [() => unconfigured.seal(secret, owner), () => unconfigured.open(sealed, owner), () => unconfigured.assertConfigured()]) {
      let thrown: unknown;
      try {
        use();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(DomainError);
      expect(thrown).toMatchObject({ code: 'PARTNER_AUTH.NOT_CONFIGURED', status: HttpStatus.SERVICE_UNAVAILABLE });
    }
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new PartnerKeyCipher(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
