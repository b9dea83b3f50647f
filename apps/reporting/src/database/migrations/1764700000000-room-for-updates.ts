import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The views' aggregate rows are updated by almost every batch (a month's totals, a programme's day,
 * a seller's funnel flags). With full pages every update writes its new row version to another
 * page and a new entry into every index of the table; with room left on each page the new version
 * stays on the page and no index is touched (a heap-only tuple update), the kind of update
 * these tables mostly have, since no batch changes an indexed column. Only pages written from now
 * on keep the room; `npm run rebuild:reporting` rewrites all of them.
 */
export const UPDATED_BY_EVERY_BATCH = [
  'export_totals',
  'export_totals_by_destination',
  'export_totals_by_hs_chapter',
  'seller_programme_exports',
  'progress_daily',
  'funnel_sellers',
  'funnel_seller_programmes',
  'training_learners',
] as const;

export class RoomForUpdates1764700000000 implements MigrationInterface {
  name = 'RoomForUpdates1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of UPDATED_BY_EVERY_BATCH) await queryRunner.query(`ALTER TABLE ${s}.${table} SET (fillfactor = 70)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of UPDATED_BY_EVERY_BATCH) await queryRunner.query(`ALTER TABLE ${s}.${table} RESET (fillfactor)`);
  }
}
