import { MARKETPLACES } from '@niryat/contracts';
import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signing keys of partner marketplaces for the HTTP ingest. Secrets are stored AES-256-GCM
 * encrypted under PARTNER_KEY_ENCRYPTION_KEY (ciphertext, IV and tag apart), never in clear.
 * The partner list is the one known when this migration runs; a marketplace added later needs a
 * migration that replaces the check.
 */
export class PartnerKeys1763900000001 implements MigrationInterface {
  name = 'PartnerKeys1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    const partners = MARKETPLACES.map((marketplace) => `'${marketplace}'`).join(', ');
    await queryRunner.query(`
      CREATE TABLE ${s}.partner_keys (
        key_id            text        PRIMARY KEY CHECK (key_id ~ '^pk_[0-9a-f]{24}$'),
        partner_id        text        NOT NULL CHECK (partner_id IN (${partners})),
        secret_ciphertext bytea       NOT NULL,
        secret_iv         bytea       NOT NULL CHECK (length(secret_iv) = 12),
        secret_tag        bytea       NOT NULL CHECK (length(secret_tag) = 16),
        created_at        timestamptz NOT NULL DEFAULT now(),
        created_by        text        NOT NULL,
        revoked_at        timestamptz,
        revoked_by        text,
        CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
      )`);
    // Signature checks load the active keys; at most two per partner, counted under a lock.
    await queryRunner.query(`CREATE INDEX partner_keys_active_idx ON ${s}.partner_keys (partner_id) WHERE revoked_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaOf(queryRunner)}.partner_keys`);
  }
}
