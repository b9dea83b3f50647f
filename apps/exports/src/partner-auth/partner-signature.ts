import { HttpStatus } from '@nestjs/common';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { PartnerAuthError, PartnerAuthErrorCode } from './partner-auth.error';

/** The headers of a signed partner request, as partners send them (README, "Partner HTTP ingest: signing"). */
export const PARTNER_SIGNATURE_HEADERS = {
  keyId: 'X-Niryat-Key-Id',
  timestamp: 'X-Niryat-Timestamp',
  signature: 'X-Niryat-Signature',
} as const;

/** Key ids as the key service mints them: `pk_` and 24 lower-case hex characters. */
export const PARTNER_KEY_ID_PATTERN = /^pk_[0-9a-f]{24}$/;

/** The partner a verified request came from; what `@CurrentPartner()` returns. */
export interface AuthenticatedPartner {
  partnerId: string;
  keyId: string;
}

/** An active key with its secret in clear, as the verifier needs it. */
export interface ActivePartnerKey extends AuthenticatedPartner {
  secret: Buffer;
}

export interface PresentedSignature {
  keyId: string;
  /** The header's text exactly as sent: it is what was signed. */
  timestampText: string;
  timestamp: number;
  /** Each `v1=` value, decoded; other schemes are ignored. */
  signatures: Buffer[];
}

const TIMESTAMP = /^\d{1,12}$/;
const V1_SIGNATURE = /^v1=([0-9a-fA-F]{64})$/;
const MAX_SIGNATURES = 5;

/** `v1`: HMAC-SHA256 keyed with the secret's text, over `<timestamp>.<raw body bytes>`. */
export function computeSignature(secret: Buffer, timestampText: string, rawBody: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestampText}.`, 'utf8').update(rawBody).digest();
}

/** Reads the three headers; a missing one is `MISSING_SIGNATURE` naming it, an unreadable one `MALFORMED_SIGNATURE`. */
export function readSignatureHeaders(headers: IncomingHttpHeaders): PresentedSignature {
  const value = (name: string) => {
    const raw = headers[name.toLowerCase()];
    return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : undefined;
  };
  const keyId = value(PARTNER_SIGNATURE_HEADERS.keyId);
  const timestampText = value(PARTNER_SIGNATURE_HEADERS.timestamp);
  const signatureHeader = value(PARTNER_SIGNATURE_HEADERS.signature);
  if (keyId === undefined || timestampText === undefined || signatureHeader === undefined) {
    const missing = Object.values(PARTNER_SIGNATURE_HEADERS).filter((name) => value(name) === undefined);
    throw unauthorized('PARTNER_AUTH.MISSING_SIGNATURE', `signed request expected: missing header(s) ${missing.join(', ')}`, {
      missingHeaders: missing,
    });
  }
  if (!TIMESTAMP.test(timestampText)) {
    throw unauthorized('PARTNER_AUTH.MALFORMED_SIGNATURE', `${PARTNER_SIGNATURE_HEADERS.timestamp} must be the signing time in whole unix seconds`);
  }
  // Several values (comma-separated, or the header repeated) let a sender holding two keys send both signatures.
  const entries = signatureHeader.split(',').map((entry) => entry.trim());
  const signatures = entries.flatMap((entry) => {
    const hex = V1_SIGNATURE.exec(entry)?.[1];
    return hex ? [Buffer.from(hex, 'hex')] : [];
  });
  if (signatures.length === 0 || entries.length > MAX_SIGNATURES) {
    throw unauthorized(
      'PARTNER_AUTH.MALFORMED_SIGNATURE',
      `${PARTNER_SIGNATURE_HEADERS.signature} must hold 1 to ${MAX_SIGNATURES} comma-separated values, at least one v1=<64 hex characters> (either case)`,
    );
  }
  return { keyId, timestampText, timestamp: Number(timestampText), signatures };
}

/** Refuses a timestamp more than `toleranceSeconds` before or after the server's clock. */
export function assertFreshTimestamp(timestamp: number, nowMs: number, toleranceSeconds: number): void {
  const serverTime = Math.floor(nowMs / 1000);
  const skew = timestamp - serverTime;
  if (Math.abs(skew) <= toleranceSeconds) return;
  const direction = skew < 0 ? `${-skew} s in the past` : `${skew} s in the future`;
  throw unauthorized(
    'PARTNER_AUTH.STALE_TIMESTAMP',
    `${PARTNER_SIGNATURE_HEADERS.timestamp} ${timestamp} is ${direction}: requests must be signed within ${toleranceSeconds} s of the server time, ${serverTime}`,
    { serverTime, toleranceSeconds },
  );
}

/** Constant-time: every presented value is compared in full, whether or not an earlier one matched. */
export function matchesAny(expected: Buffer, presented: readonly Buffer[]): boolean {
  let matched = false;
  for (const signature of presented) {
    // timingSafeEqual needs equal lengths; every decoded v1 value and every digest is 32 bytes.
    if (signature.length === expected.length && timingSafeEqual(expected, signature)) matched = true;
  }
  return matched;
}

// Unknown key ids are checked against this, so they cost what a wrong signature costs.
const DECOY_SECRET = Buffer.from(randomBytes(32).toString('base64url'), 'utf8');
// One message for an unknown key and a wrong signature: the answer must not tell which key ids exist.
const BAD_SIGNATURE =
  'the signature does not match: sign "<X-Niryat-Timestamp>.<raw body>" with HMAC-SHA256 under the secret of an active key';

export interface VerifyRequest {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  nowMs: number;
  toleranceSeconds: number;
  /** The active key with this id, or undefined for an unknown or revoked one. */
  findKey: (keyId: string) => Promise<ActivePartnerKey | undefined>;
}

/**
 * Authenticates a signed partner request: all three headers, a fresh timestamp, and one `v1=`
 * value equal to the HMAC under the secret of the key named by X-Niryat-Key-Id, which must be active.
 */
export async function verifyPartnerSignature(request: VerifyRequest): Promise<AuthenticatedPartner> {
  const { headers, rawBody, nowMs, toleranceSeconds, findKey } = request;
  const presented = readSignatureHeaders(headers);
  assertFreshTimestamp(presented.timestamp, nowMs, toleranceSeconds);
  const key = PARTNER_KEY_ID_PATTERN.test(presented.keyId) ? await findKey(presented.keyId) : undefined;
  const expected = computeSignature(key?.secret ?? DECOY_SECRET, presented.timestampText, rawBody);
  if (!matchesAny(expected, presented.signatures) || !key) throw unauthorized('PARTNER_AUTH.BAD_SIGNATURE', BAD_SIGNATURE);
  return { partnerId: key.partnerId, keyId: key.keyId };
}

type SignatureErrorCode = Extract<
  PartnerAuthErrorCode,
  'PARTNER_AUTH.MISSING_SIGNATURE' | 'PARTNER_AUTH.MALFORMED_SIGNATURE' | 'PARTNER_AUTH.STALE_TIMESTAMP' | 'PARTNER_AUTH.BAD_SIGNATURE'
>;

function unauthorized(code: SignatureErrorCode, message: string, details?: Record<string, unknown>): PartnerAuthError {
  return new PartnerAuthError(code, message, HttpStatus.UNAUTHORIZED, details);
}
