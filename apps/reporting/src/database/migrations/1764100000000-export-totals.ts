import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Export totals per programme × state × month (programme '*' = all programmes, where a seller in
 * two programmes counts once), with breakdowns by destination country and by HS chapter.
 * Money is integer minor units (bigint); a month is its first day.
 */
export class ExportTotals1764100000000 implements MigrationInterface {
  name = 'ExportTotals1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.export_totals (
        programme          text        NOT NULL,
        state_code         char(2)     NOT NULL,
        month              date        NOT NULL CHECK (extract(day FROM month) = 1),
        value_usd_minor    bigint      NOT NULL DEFAULT 0,
        value_inr_minor    bigint      NOT NULL DEFAULT 0,
        orders             integer     NOT NULL DEFAULT 0,
        exporting_sellers  integer     NOT NULL DEFAULT 0,
        returns            integer     NOT NULL DEFAULT 0,
        returns_usd_minor  bigint      NOT NULL DEFAULT 0,
        returns_inr_minor  bigint      NOT NULL DEFAULT 0,
        updated_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (programme, state_code, month)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.export_totals_by_destination (
        programme           text        NOT NULL,
        state_code          char(2)     NOT NULL,
        month               date        NOT NULL,
        destination_country char(2)     NOT NULL,
        value_usd_minor     bigint      NOT NULL DEFAULT 0,
        value_inr_minor     bigint      NOT NULL DEFAULT 0,
        orders              integer     NOT NULL DEFAULT 0,
        updated_at          timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (programme, state_code, month, destination_country)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.export_totals_by_hs_chapter (
        programme       text        NOT NULL,
        state_code      char(2)     NOT NULL,
        month           date        NOT NULL,
        hs_chapter      char(2)     NOT NULL,
        value_usd_minor bigint      NOT NULL DEFAULT 0,
        value_inr_minor bigint      NOT NULL DEFAULT 0,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (programme, state_code, month, hs_chapter)
      )`);
    // Who exported in a cell: "exporting sellers" moves only when a seller first enters its cell.
    await queryRunner.query(`
      CREATE TABLE ${s}.exporting_seller_months (
        programme  text    NOT NULL,
        state_code char(2) NOT NULL,
        month      date    NOT NULL,
        seller_id  uuid    NOT NULL,
        PRIMARY KEY (programme, state_code, month, seller_id)
      )`);
    // The exports and adjustments already counted, by their business id: the inbox drops a
    // redelivered event (same ce_id); this drops the same export re-sent as a new event.
    await queryRunner.query(`
      CREATE TABLE ${s}.export_totals_applied (
        kind       text        NOT NULL CHECK (kind IN ('recorded', 'adjusted')),
        fact_id    uuid        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, fact_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.export_totals_applied`);
    await queryRunner.query(`DROP TABLE ${s}.exporting_seller_months`);
    await queryRunner.query(`DROP TABLE ${s}.export_totals_by_hs_chapter`);
    await queryRunner.query(`DROP TABLE ${s}.export_totals_by_destination`);
    await queryRunner.query(`DROP TABLE ${s}.export_totals`);
  }
}
