import { SEED_FX_RATES } from '@niryat/money';
import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exports ledger: what onboarding told us (sellers, marketplace accounts), partner orders with
 * their event history, recognised exports and adjustments, parked events, FX reference rates.
 */
export class ExportLedger1763900000000 implements MigrationInterface {
  name = 'ExportLedger1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.seller_directory (
        seller_id      uuid        PRIMARY KEY,
        state_code     char(2)     NOT NULL,
        district       text        NOT NULL,
        classification text        NOT NULL,
        status         text        NOT NULL,
        programmes     text[]      NOT NULL DEFAULT '{}',
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.marketplace_accounts (
        marketplace text        NOT NULL,
        account_id  text        NOT NULL,
        seller_id   uuid        NOT NULL,
        linked_at   timestamptz NOT NULL,
        PRIMARY KEY (marketplace, account_id)
      )`);
    await queryRunner.query(`CREATE INDEX marketplace_accounts_account_idx ON ${s}.marketplace_accounts (account_id)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.fx_rates (
        currency       char(3)        NOT NULL,
        effective_from date           NOT NULL,
        inr_per_unit   numeric(21,12) NOT NULL CHECK (inr_per_unit > 0),
        created_at     timestamptz    NOT NULL DEFAULT now(),
        created_by     text           NOT NULL,
        PRIMARY KEY (currency, effective_from)
      )`);
    for (const rate of SEED_FX_RATES) {
      await queryRunner.query(`INSERT INTO ${s}.fx_rates (currency, effective_from, inr_per_unit, created_by) VALUES ($1, $2, $3, 'seed')`, [
        rate.currency,
        rate.effectiveFrom,
        rate.inrPerUnit,
      ]);
    }
    await queryRunner.query(`
      CREATE TABLE ${s}.orders (
        partner             text        NOT NULL,
        order_id            text        NOT NULL,
        seller_id           uuid        NOT NULL,
        seller_account_id   text        NOT NULL,
        currency            char(3)     NOT NULL,
        destination_country char(2)     NOT NULL,
        status              text        NOT NULL,
        export_id           uuid,
        updated_at          timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner, order_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.order_events (
        partner     text        NOT NULL,
        order_id    text        NOT NULL,
        sequence    integer     NOT NULL,
        event_id    text        NOT NULL,
        kind        text        NOT NULL,
        occurred_at timestamptz NOT NULL,
        event       jsonb       NOT NULL,
        applied     boolean     NOT NULL DEFAULT false,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner, order_id, sequence),
        UNIQUE (partner, event_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.exports (
        export_id           uuid        PRIMARY KEY,
        partner             text        NOT NULL,
        order_id            text        NOT NULL,
        seller_id           uuid        NOT NULL,
        state_code          char(2)     NOT NULL,
        district            text        NOT NULL,
        programmes          text[]      NOT NULL,
        destination_country char(2)     NOT NULL,
        shipment_date       date        NOT NULL,
        shipping_bill       text,
        currency            char(3)     NOT NULL,
        value_minor         bigint      NOT NULL,
        value_usd_minor     bigint      NOT NULL,
        value_inr_minor     bigint      NOT NULL,
        fx_rate             jsonb       NOT NULL,
        usd_rate            jsonb       NOT NULL,
        lines               jsonb       NOT NULL,
        recorded_at         timestamptz NOT NULL,
        UNIQUE (partner, order_id)
      )`);
    await queryRunner.query(`CREATE INDEX exports_seller_idx ON ${s}.exports (seller_id, shipment_date)`);
    await queryRunner.query(`
      CREATE TABLE ${s}.export_adjustments (
        adjustment_id   uuid        PRIMARY KEY,
        export_id       uuid        NOT NULL REFERENCES ${s}.exports (export_id),
        reason          text        NOT NULL,
        source_event_id text        NOT NULL,
        adjustment_date date        NOT NULL,
        value_minor     bigint      NOT NULL,
        value_usd_minor bigint      NOT NULL,
        value_inr_minor bigint      NOT NULL,
        lines           jsonb       NOT NULL,
        recorded_at     timestamptz NOT NULL
      )`);
    // Partner events for seller accounts not linked (yet): kept whole, replayed when the link arrives.
    await queryRunner.query(`
      CREATE TABLE ${s}.parked_events (
        partner           text        NOT NULL,
        event_id          text        NOT NULL,
        seller_account_id text        NOT NULL,
        order_id          text        NOT NULL,
        event_type        text        NOT NULL,
        attributes        jsonb       NOT NULL,
        payload           jsonb       NOT NULL,
        source            jsonb       NOT NULL,
        parked_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner, event_id)
      )`);
    await queryRunner.query(`CREATE INDEX parked_events_account_idx ON ${s}.parked_events (partner, seller_account_id, parked_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    for (const table of ['parked_events', 'export_adjustments', 'exports', 'order_events', 'orders', 'fx_rates', 'marketplace_accounts', 'seller_directory']) {
      await queryRunner.query(`DROP TABLE ${s}.${table}`);
    }
  }
}
