import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exports count in a programme only through the programme's marketplaces. The catalogue rows
 * (progress_programmes) keep each programme's partner and marketplaces; rows from before have
 * none (NULL) and count as not known until their next snapshot, or until `npm run
 * rebuild:reporting` re-attributes every export under the latest catalogue.
 *
 * export_attribution_pending holds the exports set aside for a programme the catalogue did not
 * know when they arrived: they count in the all-programme rows at once, and in the programme when
 * its definition arrives (then the row is deleted). An operator sees them at GET /v1/reports/exports/set-aside (and an error log line).
 */
export class AttributionByMarketplace1765000000000 implements MigrationInterface {
  name = 'AttributionByMarketplace1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.progress_programmes ADD COLUMN partner text, ADD COLUMN marketplaces text[]`);
    await queryRunner.query(`
      CREATE TABLE ${s}.export_attribution_pending (
        programme    text        NOT NULL,
        kind         text        NOT NULL CHECK (kind IN ('recorded', 'adjusted')),
        fact_id      uuid        NOT NULL,
        payload      jsonb       NOT NULL,
        set_aside_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (programme, kind, fact_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.export_attribution_pending`);
    await queryRunner.query(`ALTER TABLE ${s}.progress_programmes DROP COLUMN marketplaces, DROP COLUMN partner`);
  }
}
