import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Sellers1763700000001 implements MigrationInterface {
  name = 'Sellers1763700000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.programmes (
        code    text PRIMARY KEY,
        name    text NOT NULL,
        partner text NOT NULL
      )`);
    // The three programmes of the seed articles; the full catalogue (targets, states) comes later.
    await queryRunner.query(`
      INSERT INTO ${s}.programmes (code, name, partner) VALUES
        ('amazon-global-selling', 'Amazon Global Selling', 'amazon'),
        ('flipkart-walmart-odop-up', 'Walmart-Flipkart ODOP with the Export Promotion Bureau of Uttar Pradesh', 'flipkart'),
        ('walmart-vriddhi', 'Walmart Vriddhi Supplier Development Programme', 'walmart')`);
    await queryRunner.query(`
      CREATE TABLE ${s}.sellers (
        id          uuid        PRIMARY KEY,
        legal_name  text        NOT NULL,
        state_code  char(2)     NOT NULL,
        programmes  text[]      NOT NULL,
        status      text        NOT NULL CHECK (status IN ('submitted', 'approved')),
        created_at  timestamptz NOT NULL DEFAULT now(),
        approved_at timestamptz,
        approved_by text
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.sellers`);
    await queryRunner.query(`DROP TABLE ${s}.programmes`);
  }
}
