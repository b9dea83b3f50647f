import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApprovedSellers1763700000101 implements MigrationInterface {
  name = 'ApprovedSellers1763700000101';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    // One row per approved seller: approving the same seller again (a re-sent event with a new id)
    // must not count twice, so counts only move when a seller enters this table.
    await queryRunner.query(`
      CREATE TABLE ${s}.seller_approvals (
        seller_id   uuid        PRIMARY KEY,
        state_code  char(2)     NOT NULL,
        programmes  text[]      NOT NULL,
        approved_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.approved_sellers (
        programme      text        NOT NULL,
        state_code     char(2)     NOT NULL,
        approved_count integer     NOT NULL CHECK (approved_count >= 0),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (programme, state_code)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.approved_sellers`);
    await queryRunner.query(`DROP TABLE ${s}.seller_approvals`);
  }
}
