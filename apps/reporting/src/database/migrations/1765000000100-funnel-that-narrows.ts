import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The funnel's stages nest: each stage implies the ones before it (`funnelStages` in
 * funnel.fold.ts says the same in TypeScript), so registered ≥ approved ≥ enrolled ≥ exporting in
 * every row, whichever of a seller's events arrived. A view over the same fact rows: nothing to
 * backfill, and a rebuild is not needed.
 */
export class FunnelThatNarrows1765000000100 implements MigrationInterface {
  name = 'FunnelThatNarrows1765000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.define(queryRunner, {
      registered: 'p.registered OR p.approved OR p.enrolled OR p.exporting',
      approved: 'p.approved OR p.enrolled OR p.exporting',
      enrolled: 'p.enrolled OR p.exporting',
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.define(queryRunner, { registered: 'p.registered', approved: 'p.approved', enrolled: 'p.enrolled' });
  }

  private async define(queryRunner: QueryRunner, stage: { registered: string; approved: string; enrolled: string }): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE OR REPLACE VIEW ${s}.seller_funnel AS
      SELECT p.programme, s.state_code,
             count(*) FILTER (WHERE ${stage.registered})::int AS registered,
             count(*) FILTER (WHERE ${stage.approved})::int   AS approved,
             count(*) FILTER (WHERE ${stage.enrolled})::int   AS enrolled,
             count(*) FILTER (WHERE p.exporting)::int  AS exporting
        FROM ${s}.funnel_seller_programmes p
        JOIN ${s}.funnel_sellers s ON s.seller_id = p.seller_id
       GROUP BY p.programme, s.state_code
      HAVING bool_or(p.registered OR p.approved OR p.enrolled OR p.exporting)`);
  }
}
