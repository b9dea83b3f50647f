import type { ExportsEnv } from '../exports.env';

export const PARTNER_AUTH_OPTIONS = Symbol('PARTNER_AUTH_OPTIONS');

export interface PartnerAuthOptions {
  /** PARTNER_KEY_ENCRYPTION_KEY (32 bytes, base64); without it keys can be listed and revoked, nothing else. */
  encryptionKey?: string;
  /** How far a signed request's timestamp may be from the server's clock, either way. */
  toleranceSeconds: number;
  /** Signed requests per minute per partner, per service instance. */
  ratePerMinute: number;
  /** How long decrypted active keys are reused before the table is read again. */
  keyCacheTtlMs: number;
}

export const PARTNER_KEY_CACHE_TTL_MS = 30_000;

export function partnerAuthOptions(env: ExportsEnv): PartnerAuthOptions {
  return {
    encryptionKey: env.PARTNER_KEY_ENCRYPTION_KEY,
    toleranceSeconds: env.PARTNER_SIGNATURE_TOLERANCE_SECONDS,
    ratePerMinute: env.PARTNER_RATE_LIMIT_PER_MINUTE,
    keyCacheTtlMs: PARTNER_KEY_CACHE_TTL_MS,
  };
}
