import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { ConflictError } from '@niryat/platform';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PartnerAuthError } from './partner-auth.error';
import { PARTNER_AUTH_OPTIONS, PartnerAuthOptions } from './partner-auth.options';
import { PartnerKeyCache } from './partner-key-cache';
import { PartnerKeyCipher } from './partner-key-cipher';
import type { ActivePartnerKey } from './partner-signature';

/** Two, so a partner can rotate: create the new key, move its senders over, revoke the old one. */
export const MAX_ACTIVE_KEYS_PER_PARTNER = 2;

/** What the operator gets once when a key is created; the secret is not stored in clear anywhere. */
export interface CreatedPartnerKey {
  keyId: string;
  partnerId: string;
  secret: string;
  createdAt: Date;
}

export interface PartnerKeyView {
  keyId: string;
  partnerId: string;
  status: 'active' | 'revoked';
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/**
 * Partner signing keys: created with a secret shown once and stored encrypted, listed without
 * secrets, revoked; and the active keys, decrypted and cached, for signature checks.
 */
@Injectable()
export class PartnerKeysService {
  private readonly logger = new Logger('partner-keys');
  private readonly cache: PartnerKeyCache;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: PartnerKeyCipher,
    @Inject(PARTNER_AUTH_OPTIONS) options: PartnerAuthOptions,
  ) {
    this.cache = new PartnerKeyCache(() => this.loadActiveKeys(), options.keyCacheTtlMs);
  }

  /** Throws the 503 `PARTNER_AUTH.NOT_CONFIGURED` when PARTNER_KEY_ENCRYPTION_KEY is not set. */
  assertConfigured(): void {
    this.cipher.assertConfigured();
  }

  async create(partnerId: string, createdBy: string): Promise<CreatedPartnerKey> {
    this.cipher.assertConfigured();
    const keyId = `pk_${randomBytes(12).toString('hex')}`;
    // The secret's base64url text is what partners hold and what keys their HMAC.
    const secret = randomBytes(32).toString('base64url');
    const sealed = this.cipher.seal(Buffer.from(secret, 'utf8'), { partnerId, keyId });
    const createdAt = await this.dataSource.transaction(async (manager) => {
      // Serializes creations per partner, so two concurrent requests cannot both pass the count.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '.partner_keys:' || $1, 0))`, [partnerId]);
      const active: { key_id: string }[] = await manager.query(
        `SELECT key_id FROM partner_keys WHERE partner_id = $1 AND revoked_at IS NULL ORDER BY created_at, key_id`,
        [partnerId],
      );
      if (active.length >= MAX_ACTIVE_KEYS_PER_PARTNER) {
        const activeKeyIds = active.map((row) => row.key_id);
        throw new ConflictError(
          'PARTNER_AUTH.TOO_MANY_ACTIVE_KEYS',
          `partner ${partnerId} already has ${active.length} active keys (${activeKeyIds.join(', ')}), the most allowed: ` +
            `revoke one with DELETE /v1/partners/${partnerId}/keys/<keyId> before creating another`,
          { activeKeyIds },
        );
      }
      const [row]: { created_at: Date }[] = await manager.query(
        `INSERT INTO partner_keys (key_id, partner_id, secret_ciphertext, secret_iv, secret_tag, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING created_at`,
        [keyId, partnerId, sealed.ciphertext, sealed.iv, sealed.tag, createdBy],
      );
      return row.created_at;
    });
    this.cache.invalidate();
    this.logger.log(`partner key ${keyId} created for ${partnerId} by ${createdBy}`);
    return { keyId, partnerId, secret, createdAt };
  }

  async list(partnerId: string): Promise<PartnerKeyView[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT key_id, partner_id, created_at, created_by, revoked_at, revoked_by
       FROM partner_keys WHERE partner_id = $1 ORDER BY created_at, key_id`,
      [partnerId],
    );
    return rows.map(toView);
  }

  /** Revoking a revoked key changes nothing and succeeds; an unknown key, or another partner's, is a 404. */
  async revoke(partnerId: string, keyId: string, revokedBy: string): Promise<void> {
    const [revoked] = (await this.dataSource.query(
      `UPDATE partner_keys SET revoked_at = now(), revoked_by = $3
       WHERE key_id = $1 AND partner_id = $2 AND revoked_at IS NULL RETURNING key_id`,
      [keyId, partnerId, revokedBy],
    )) as [unknown[], number];
    this.cache.invalidate();
    if (revoked.length > 0) {
      this.logger.log(`partner key ${keyId} of ${partnerId} revoked by ${revokedBy}`);
      return;
    }
    const existing: unknown[] = await this.dataSource.query(`SELECT 1 FROM partner_keys WHERE key_id = $1 AND partner_id = $2`, [
      keyId,
      partnerId,
    ]);
    if (existing.length === 0) {
      throw new PartnerAuthError('PARTNER_AUTH.KEY_NOT_FOUND', `partner ${partnerId} has no key ${keyId}`, HttpStatus.NOT_FOUND, { keyId });
    }
  }

  /** The active key with this id, secret decrypted; undefined when unknown or revoked. 503 when not configured. */
  async activeKey(keyId: string): Promise<ActivePartnerKey | undefined> {
    this.cipher.assertConfigured();
    return this.cache.find(keyId);
  }

  private async loadActiveKeys(): Promise<ActivePartnerKey[]> {
    const rows: StoredKeyRow[] = await this.dataSource.query(
      `SELECT key_id, partner_id, secret_ciphertext, secret_iv, secret_tag FROM partner_keys WHERE revoked_at IS NULL`,
    );
    return rows.flatMap((row) => {
      const owner = { partnerId: row.partner_id, keyId: row.key_id };
      try {
        const secret = this.cipher.open({ ciphertext: row.secret_ciphertext, iv: row.secret_iv, tag: row.secret_tag }, owner);
        return [{ ...owner, secret }];
      } catch {
        // A changed PARTNER_KEY_ENCRYPTION_KEY or an altered row: that key cannot verify anything.
        this.logger.error(
          `partner key ${row.key_id} of ${row.partner_id} cannot be decrypted with PARTNER_KEY_ENCRYPTION_KEY; requests signed with it are refused`,
        );
        return [];
      }
    });
  }
}

interface StoredKeyRow {
  key_id: string;
  partner_id: string;
  secret_ciphertext: Buffer;
  secret_iv: Buffer;
  secret_tag: Buffer;
}

function toView(row: Record<string, unknown>): PartnerKeyView {
  return {
    keyId: row.key_id as string,
    partnerId: row.partner_id as string,
    status: row.revoked_at ? 'revoked' : 'active',
    createdAt: row.created_at as Date,
    createdBy: row.created_by as string,
    revokedAt: (row.revoked_at as Date | null) ?? null,
    revokedBy: (row.revoked_by as string | null) ?? null,
  };
}
