import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner events the order pipeline refused after the ingest had accepted them (what the ingest
 * cannot know: a seller of another marketplace, an impossible history), kept per order so the
 * partner sees why at GET /v1/orders/{partner}/{orderId}. A later accepted event of the same id
 * (sent again, fixed) removes its refusal.
 */
export class RefusedOrderEvents1765000000001 implements MigrationInterface {
  name = 'RefusedOrderEvents1765000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.refused_order_events (
        partner    text        NOT NULL,
        event_id   text        NOT NULL,
        order_id   text        NOT NULL,
        event_type text        NOT NULL,
        code       text        NOT NULL,
        reason     text        NOT NULL,
        refused_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (partner, event_id)
      )`);
    await queryRunner.query(`CREATE INDEX refused_order_events_by_order ON ${s}.refused_order_events (partner, order_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaOf(queryRunner)}.refused_order_events`);
  }
}
