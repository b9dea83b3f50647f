import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each seller was enrolled in each programme (days in India), so an export counts in the
 * programmes of its shipment day, not of the moment exports learns of it. Enrolments kept before
 * this have no date: they count as enrolled since always (`SINCE_ALWAYS`).
 */
export class EnrolmentPeriods1765000000000 implements MigrationInterface {
  name = 'EnrolmentPeriods1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.seller_directory ADD COLUMN enrolments jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`
      UPDATE ${s}.seller_directory SET enrolments = (
        SELECT coalesce(jsonb_agg(jsonb_build_object('programmeId', p, 'from', '0001-01-01', 'until', NULL)), '[]'::jsonb) FROM unnest(programmes) AS p)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaOf(queryRunner)}.seller_directory DROP COLUMN enrolments`);
  }
}
