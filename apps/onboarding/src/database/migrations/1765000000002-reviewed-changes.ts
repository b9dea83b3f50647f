import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Changes to an approved seller that a reviewer sees first (a move to another state with its new
 * GSTIN and Udyam number, a new bank account): requested, then approved or rejected. At most one
 * pending per seller, held by a unique index so two requests at once cannot both wait.
 */
export class ReviewedChanges1765000000002 implements MigrationInterface {
  name = 'ReviewedChanges1765000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.seller_changes (
        id           uuid        PRIMARY KEY,
        seller_id    uuid        NOT NULL REFERENCES ${s}.sellers (id),
        status       text        NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
        fields       text[]      NOT NULL,
        changes      jsonb       NOT NULL,
        requested_at timestamptz NOT NULL,
        requested_by text        NOT NULL,
        decided_at   timestamptz,
        decided_by   text,
        reason       text
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX seller_changes_one_pending ON ${s}.seller_changes (seller_id) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX seller_changes_by_seller ON ${s}.seller_changes (seller_id, requested_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaOf(queryRunner)}.seller_changes`);
  }
}
