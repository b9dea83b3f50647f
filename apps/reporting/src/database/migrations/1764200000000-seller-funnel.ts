import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seller funnel (registered → approved → enrolled → exporting) and training (enrolled,
 * certified) per programme × state. Facts are kept per seller (where it is) and per seller ×
 * programme (independent flags); the counts are SQL views over them, so a seller who moves state
 * is counted where it is now without moving any counter. Exact and simple; the cost is a GROUP BY
 * over the fact rows on every read (one row per seller × programme: cheap at our scale, and a
 * materialised view can replace it without touching the consumer).
 */
export class SellerFunnel1764200000000 implements MigrationInterface {
  name = 'SellerFunnel1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    // authoritative = said by onboarding; false = placed provisionally by an export or training
    // event before onboarding told us about the seller. state_as_of: business time of that event.
    await queryRunner.query(`
      CREATE TABLE ${s}.funnel_sellers (
        seller_id     uuid        PRIMARY KEY,
        state_code    char(2)     NOT NULL,
        authoritative boolean     NOT NULL,
        state_as_of   timestamptz NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.funnel_seller_programmes (
        seller_id         uuid        NOT NULL,
        programme         text        NOT NULL,
        registered        boolean     NOT NULL DEFAULT false,
        approved          boolean     NOT NULL DEFAULT false,
        enrolled          boolean     NOT NULL DEFAULT false,
        enrolled_as_of    timestamptz,
        exporting         boolean     NOT NULL DEFAULT false,
        updated_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (seller_id, programme)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.training_learners (
        seller_id       uuid        NOT NULL,
        programme       text        NOT NULL,
        enrolled        boolean     NOT NULL DEFAULT false,
        enrolled_as_of  timestamptz,
        certified       boolean     NOT NULL DEFAULT false,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (seller_id, programme)
      )`);
    await queryRunner.query(`
      CREATE VIEW ${s}.seller_funnel AS
      SELECT p.programme, s.state_code,
             count(*) FILTER (WHERE p.registered)::int AS registered,
             count(*) FILTER (WHERE p.approved)::int   AS approved,
             count(*) FILTER (WHERE p.enrolled)::int   AS enrolled,
             count(*) FILTER (WHERE p.exporting)::int  AS exporting
        FROM ${s}.funnel_seller_programmes p
        JOIN ${s}.funnel_sellers s ON s.seller_id = p.seller_id
       GROUP BY p.programme, s.state_code
      HAVING bool_or(p.registered OR p.approved OR p.enrolled OR p.exporting)`);
    await queryRunner.query(`
      CREATE VIEW ${s}.training_funnel AS
      SELECT l.programme, s.state_code,
             count(*) FILTER (WHERE l.enrolled)::int  AS enrolled,
             count(*) FILTER (WHERE l.certified)::int AS certified
        FROM ${s}.training_learners l
        JOIN ${s}.funnel_sellers s ON s.seller_id = l.seller_id
       GROUP BY l.programme, s.state_code
      HAVING bool_or(l.enrolled OR l.certified)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP VIEW ${s}.training_funnel`);
    await queryRunner.query(`DROP VIEW ${s}.seller_funnel`);
    await queryRunner.query(`DROP TABLE ${s}.training_learners`);
    await queryRunner.query(`DROP TABLE ${s}.funnel_seller_programmes`);
    await queryRunner.query(`DROP TABLE ${s}.funnel_sellers`);
  }
}
