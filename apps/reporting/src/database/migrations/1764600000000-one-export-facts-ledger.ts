import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Export totals and programme progress kept a table each of the exports they had counted, filled
 * with the same ids in the same transactions since they became one consumer group. One ledger
 * (`export_facts_applied`, ExportFactsLedger) is one insert per batch less; it keeps every id
 * either table had.
 */
export class OneExportFactsLedger1764600000000 implements MigrationInterface {
  name = 'OneExportFactsLedger1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.export_totals_applied RENAME TO export_facts_applied`);
    await queryRunner.query(`ALTER TABLE ${s}.export_facts_applied RENAME CONSTRAINT export_totals_applied_pkey TO export_facts_applied_pkey`);
    await queryRunner.query(
      `INSERT INTO ${s}.export_facts_applied (kind, fact_id, applied_at) SELECT kind, fact_id, applied_at FROM ${s}.progress_applied ON CONFLICT DO NOTHING`,
    );
    await queryRunner.query(`DROP TABLE ${s}.progress_applied`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`CREATE TABLE ${s}.progress_applied (LIKE ${s}.export_facts_applied INCLUDING ALL)`);
    await queryRunner.query(`INSERT INTO ${s}.progress_applied SELECT * FROM ${s}.export_facts_applied`);
    await queryRunner.query(`ALTER TABLE ${s}.export_facts_applied RENAME CONSTRAINT export_facts_applied_pkey TO export_totals_applied_pkey`);
    await queryRunner.query(`ALTER TABLE ${s}.export_facts_applied RENAME TO export_totals_applied`);
  }
}
