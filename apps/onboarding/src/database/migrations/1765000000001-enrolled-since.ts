import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The day a seller joined a programme, when a reviewer recorded an enrolment older than the request. */
export class EnrolledSince1765000000001 implements MigrationInterface {
  name = 'EnrolledSince1765000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaOf(queryRunner)}.enrolments ADD COLUMN enrolled_since date`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaOf(queryRunner)}.enrolments DROP COLUMN enrolled_since`);
  }
}
