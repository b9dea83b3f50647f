import { createHash } from 'node:crypto';

/** Credential ids: safe in logs, file names and the `AUTH_CREDENTIALS` list (no `_`, `:` or `,`). */
export const CREDENTIAL_ID_PATTERN = /^[a-z0-9-]{3,40}$/;

/**
 * `niryat_<credentialId>_<secret>`; the secret is 32 random bytes in base64url (43 characters).
 * Ids never contain `_`, so the first `_` after the id ends it even though base64url may contain `_`.
 */
export const TOKEN_PATTERN = /^niryat_([a-z0-9-]{3,40})_([A-Za-z0-9_-]{43})$/;

export interface TokenParts {
  id: string;
  secret: string;
}

export function parseToken(token: string): TokenParts | undefined {
  const match = TOKEN_PATTERN.exec(token);
  return match ? { id: match[1], secret: match[2] } : undefined;
}

/** What the services store instead of the secret: sha256 over the secret's base64url text. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
