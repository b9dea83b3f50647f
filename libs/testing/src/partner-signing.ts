import { createHmac } from 'node:crypto';

export interface PartnerSigningInput {
  /** The partner key's id, `pk_…`. */
  keyId: string;
  /** The key's secret exactly as it was handed out (base64url text); its text is the HMAC key. */
  secret: string;
  /** The body exactly as it will be sent. */
  body: string | Buffer;
  /** Unix seconds; now when omitted. */
  timestamp?: number;
  /** Secrets of further keys (a rotation): each adds a `v1=` value to the signature header. */
  alsoSignWith?: string[];
}

export type PartnerSignatureHeaders = Record<'X-Niryat-Key-Id' | 'X-Niryat-Timestamp' | 'X-Niryat-Signature', string>;

/**
 * The headers of a signed partner request (README, "Partner HTTP ingest: signing"), written
 * independently of the service's verifier so tests check one against the other:
 * `v1=` lower-case hex HMAC-SHA256 keyed with the secret's text over `<timestamp>.<raw body>`.
 */
export function signPartnerRequest({ keyId, secret, body, timestamp, alsoSignWith = [] }: PartnerSigningInput): PartnerSignatureHeaders {
  const signedAt = String(timestamp ?? Math.floor(Date.now() / 1000));
  const payload = Buffer.concat([Buffer.from(`${signedAt}.`, 'utf8'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')]);
  const signatures = [secret, ...alsoSignWith].map((key) => `v1=${createHmac('sha256', key).update(payload).digest('hex')}`);
  return { 'X-Niryat-Key-Id': keyId, 'X-Niryat-Timestamp': signedAt, 'X-Niryat-Signature': signatures.join(',') };
}
