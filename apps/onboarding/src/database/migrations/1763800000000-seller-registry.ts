import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sellers with their identifiers and review state, the audit trail, programmes, enrolments and marketplace links. */
export class SellerRegistry1763800000000 implements MigrationInterface {
  name = 'SellerRegistry1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.programmes (
        id                       text        PRIMARY KEY,
        name                     text        NOT NULL,
        partner                  text        NOT NULL,
        kind                     text        NOT NULL CHECK (kind IN ('export', 'training', 'both')),
        all_india                boolean     NOT NULL,
        states                   char(2)[]   NOT NULL,
        starts_on                date,
        export_target_usd        bigint      CHECK (export_target_usd > 0),
        export_target_basis      text        CHECK (export_target_basis IN ('cumulative', 'annual')),
        export_target_deadline   date,
        training_target_msmes    integer     CHECK (training_target_msmes > 0),
        training_target_deadline date,
        milestone_step_usd       bigint      CHECK (milestone_step_usd > 0),
        version                  integer     NOT NULL,
        created_at               timestamptz NOT NULL DEFAULT now(),
        updated_at               timestamptz NOT NULL DEFAULT now(),
        updated_by               text        NOT NULL,
        CHECK (all_india = (cardinality(states) = 0))
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.sellers (
        id                     uuid        PRIMARY KEY,
        legal_name             text        NOT NULL,
        trade_name             text,
        constitution           text        NOT NULL,
        gstin                  char(15)    NOT NULL,
        pan                    char(10)    NOT NULL,
        udyam_number           text        NOT NULL,
        iec                    char(10)    NOT NULL,
        state_code             char(2)     NOT NULL,
        district               text        NOT NULL,
        address                jsonb       NOT NULL,
        contact                jsonb       NOT NULL,
        bank_ifsc              char(11)    NOT NULL,
        bank_account_number    text        NOT NULL,
        products               jsonb       NOT NULL,
        odop_product           text,
        investment_rupees      bigint      NOT NULL CHECK (investment_rupees >= 0),
        turnover_rupees        bigint      NOT NULL CHECK (turnover_rupees >= 0),
        export_turnover_rupees bigint      NOT NULL CHECK (export_turnover_rupees >= 0 AND export_turnover_rupees <= turnover_rupees),
        classification         text        NOT NULL,
        classification_rule    text        NOT NULL,
        programmes_applied     text[]      NOT NULL,
        status                 text        NOT NULL
                               CHECK (status IN ('submitted', 'under-review', 'approved', 'rejected', 'suspended')),
        registered_by          text        NOT NULL,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now()
      )`);
    // The duplicate rules of registration, enforced by the database so concurrent requests cannot both win.
    await queryRunner.query(`CREATE UNIQUE INDEX sellers_gstin_key ON ${s}.sellers (gstin)`);
    await queryRunner.query(`CREATE UNIQUE INDEX sellers_pan_state_key ON ${s}.sellers (pan, state_code)`);
    await queryRunner.query(`CREATE INDEX sellers_state_status_idx ON ${s}.sellers (state_code, status)`);
    await queryRunner.query(`CREATE INDEX sellers_registered_by_idx ON ${s}.sellers (registered_by)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.seller_history (
        id          bigserial   PRIMARY KEY,
        seller_id   uuid        NOT NULL REFERENCES ${s}.sellers (id),
        action      text        NOT NULL,
        from_status text,
        to_status   text,
        actor       text        NOT NULL,
        reason      text,
        details     jsonb       NOT NULL DEFAULT '{}',
        at          timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX seller_history_seller_idx ON ${s}.seller_history (seller_id, id)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.enrolments (
        seller_id       uuid        NOT NULL REFERENCES ${s}.sellers (id),
        programme_id    text        NOT NULL REFERENCES ${s}.programmes (id),
        status          text        NOT NULL CHECK (status IN ('enrolled', 'withdrawn')),
        enrolled_at     timestamptz NOT NULL,
        enrolled_by     text        NOT NULL,
        withdrawn_at    timestamptz,
        withdrawn_by    text,
        withdraw_reason text,
        PRIMARY KEY (seller_id, programme_id)
      )`);
    await queryRunner.query(`CREATE INDEX enrolments_programme_idx ON ${s}.enrolments (programme_id, status)`);
    // An account id belongs to one seller per marketplace; a seller may hold accounts on several.
    await queryRunner.query(`
      CREATE TABLE ${s}.marketplace_accounts (
        marketplace text        NOT NULL,
        account_id  text        NOT NULL,
        seller_id   uuid        NOT NULL REFERENCES ${s}.sellers (id),
        linked_at   timestamptz NOT NULL,
        linked_by   text        NOT NULL,
        PRIMARY KEY (marketplace, account_id)
      )`);
    await queryRunner.query(`CREATE INDEX marketplace_accounts_seller_idx ON ${s}.marketplace_accounts (seller_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of ['marketplace_accounts', 'enrolments', 'seller_history', 'sellers', 'programmes']) {
      await queryRunner.query(`DROP TABLE ${s}.${table}`);
    }
  }
}
