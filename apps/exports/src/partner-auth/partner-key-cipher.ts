import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { notConfigured } from './partner-auth.error';

/** A secret as stored: AES-256-GCM ciphertext, its 12-byte IV and 16-byte authentication tag. */
export interface SealedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

/** The row a secret belongs to; authenticated with it, so a ciphertext copied to another row fails to open. */
export interface SecretOwner {
  partnerId: string;
  keyId: string;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts partner signing secrets at rest under PARTNER_KEY_ENCRYPTION_KEY. Without that key the
 * cipher exists but every use is a 503 `PARTNER_AUTH.NOT_CONFIGURED`, so the rest of the service
 * still runs.
 */
export class PartnerKeyCipher {
  private readonly key?: Buffer;

  constructor(encodedKey: string | undefined) {
    if (encodedKey === undefined || encodedKey === '') return;
    const key = Buffer.from(encodedKey, 'base64');
    if (key.length !== 32) throw new Error('PARTNER_KEY_ENCRYPTION_KEY must be 32 bytes in base64');
    this.key = key;
  }

  get configured(): boolean {
    return this.key !== undefined;
  }

  /** Throws the 503 when there is no encryption key. */
  assertConfigured(): void {
    this.requireKey();
  }

  seal(secret: Buffer, owner: SecretOwner): SealedSecret {
    const key = this.requireKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(owner));
    const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
    return { ciphertext, iv, tag: cipher.getAuthTag() };
  }

  /** The secret; throws when the ciphertext, IV, tag or owner was altered, or another key sealed it. */
  open(sealed: SealedSecret, owner: SecretOwner): Buffer {
    const key = this.requireKey();
    const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(owner));
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  }

  private requireKey(): Buffer {
    if (!this.key) throw notConfigured();
    return this.key;
  }
}

function associatedData({ partnerId, keyId }: SecretOwner): Buffer {
  return Buffer.from(`niryat.partner-key.v1:${partnerId}:${keyId}`, 'utf8');
}
