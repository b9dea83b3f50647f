import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Parked events expire after PARKED_EVENT_TTL_DAYS: the retention run finds the old ones by this index. */
export class ParkedEventsExpiry1765200000000 implements MigrationInterface {
  name = 'ParkedEventsExpiry1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX parked_events_parked_at_idx ON ${schemaOf(queryRunner)}.parked_events (parked_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ${schemaOf(queryRunner)}.parked_events_parked_at_idx`);
  }
}
