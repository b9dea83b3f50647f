import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Programme progress: each programme's latest definition (target, deadline, milestone step) and
 * its net export value per shipment day, from which milestones, yearly values and progress against
 * the target are computed on read. Money: whole USD for targets and steps, US cents for values.
 */
export class ProgrammeProgress1764300000000 implements MigrationInterface {
  name = 'ProgrammeProgress1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.progress_programmes (
        programme          text        PRIMARY KEY,
        name               text        NOT NULL,
        export_target_usd  bigint      CHECK (export_target_usd > 0),
        basis              text        CHECK (basis IN ('cumulative', 'annual')),
        deadline           date,
        milestone_step_usd bigint      CHECK (milestone_step_usd > 0),
        starts_on          date,
        version            integer     NOT NULL,
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.progress_daily (
        programme       text        NOT NULL,
        day             date        NOT NULL,
        value_usd_minor bigint      NOT NULL DEFAULT 0,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (programme, day)
      )`);
    // Exports and adjustments already counted here, by business id: the same export re-sent as a
    // new event (new ce_id, past the inbox) must not count twice.
    await queryRunner.query(`
      CREATE TABLE ${s}.progress_applied (
        kind       text        NOT NULL CHECK (kind IN ('recorded', 'adjusted')),
        fact_id    uuid        NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, fact_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.progress_applied`);
    await queryRunner.query(`DROP TABLE ${s}.progress_daily`);
    await queryRunner.query(`DROP TABLE ${s}.progress_programmes`);
  }
}
