import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Training impact: export value per seller, certified versus not yet certified, per programme.
 * The export-totals consumer keeps each seller's net exports per programme
 * (seller_programme_exports); the funnel consumer already keeps who takes part in a programme and
 * who is certified in it. The view joins them on read, so a certificate awarded today moves the
 * seller's whole export history to the certified side at once.
 */
export class TrainingImpact1764400000000 implements MigrationInterface {
  name = 'TrainingImpact1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.seller_programme_exports (
        seller_id       uuid        NOT NULL,
        programme       text        NOT NULL,
        value_usd_minor bigint      NOT NULL DEFAULT 0,
        value_inr_minor bigint      NOT NULL DEFAULT 0,
        orders          integer     NOT NULL DEFAULT 0,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (seller_id, programme)
      )`);
    // Participants of a programme: enrolled in it now, trained in it, or exported under it.
    await queryRunner.query(`
      CREATE VIEW ${s}.training_impact AS
      WITH participants AS (
        SELECT seller_id, programme FROM ${s}.funnel_seller_programmes WHERE enrolled OR exporting
        UNION
        SELECT seller_id, programme FROM ${s}.training_learners WHERE enrolled OR certified
        UNION
        SELECT seller_id, programme FROM ${s}.seller_programme_exports
      )
      SELECT p.programme,
             coalesce(l.certified, false)                    AS certified,
             count(*)::int                                   AS sellers,
             count(*) FILTER (WHERE e.orders > 0)::int       AS exporting_sellers,
             coalesce(sum(e.orders), 0)::int                 AS orders,
             coalesce(sum(e.value_usd_minor), 0)::bigint     AS value_usd_minor,
             coalesce(sum(e.value_inr_minor), 0)::bigint     AS value_inr_minor
        FROM participants p
        LEFT JOIN ${s}.training_learners l ON l.seller_id = p.seller_id AND l.programme = p.programme
        LEFT JOIN ${s}.seller_programme_exports e ON e.seller_id = p.seller_id AND e.programme = p.programme
       GROUP BY p.programme, coalesce(l.certified, false)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP VIEW ${s}.training_impact`);
    await queryRunner.query(`DROP TABLE ${s}.seller_programme_exports`);
  }
}
