import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hashSecret, TokenParts } from './credential-token';
import { CredentialEntry, parseCredentials } from './credentials-config';
import { Principal } from './principal';

interface StoredCredential {
  principal: Principal;
  hash: Buffer;
}

/** The configured credentials, by id; verifies a presented secret against the stored hash. */
export class CredentialStore {
  private readonly byId = new Map<string, StoredCredential>();
  // Unknown ids are compared against this, so they cost what a wrong secret costs.
  private readonly decoy = randomBytes(32);

  constructor(entries: CredentialEntry[]) {
    for (const { id, role, hash, scope } of entries) {
      this.byId.set(id, { principal: { id, role, ...(scope ? { scope } : {}) }, hash: Buffer.from(hash, 'hex') });
    }
  }

  /** Parses `AUTH_CREDENTIALS`; throws `CredentialsConfigError` on a bad entry. */
  static fromConfig(raw: string | undefined): CredentialStore {
    return new CredentialStore(parseCredentials(raw));
  }

  get size(): number {
    return this.byId.size;
  }

  /** The principal when the secret matches; undefined for an unknown id and a wrong secret alike. */
  verify({ id, secret }: TokenParts): Principal | undefined {
    const stored = this.byId.get(id);
    const matches = timingSafeEqual(hashSecret(secret), stored?.hash ?? this.decoy);
    return stored && matches ? { ...stored.principal } : undefined;
  }
}
