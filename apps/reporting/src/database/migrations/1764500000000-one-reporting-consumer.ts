import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The four reporting consumer groups became one (`reporting.views`), whose stored offsets start
 * empty. Views built by the old groups would be counted again from offset zero, so they are
 * emptied with everything the old groups applied: the service then rebuilds every view from the
 * log (the domain topics keep their history) as it starts. Views are incomplete until it has
 * caught up; `npm run rebuild:reporting` is the way without that window, for later changes.
 */
export class OneReportingConsumer1764500000000 implements MigrationInterface {
  name = 'OneReportingConsumer1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    const tables: { tablename: string }[] = await queryRunner.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'migrations' ORDER BY tablename`,
      [s.replace(/"/g, '')],
    );
    if (tables.length > 0) await queryRunner.query(`TRUNCATE ${tables.map((t) => `${s}."${t.tablename}"`).join(', ')}`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the views are derived from the log.
  }
}
