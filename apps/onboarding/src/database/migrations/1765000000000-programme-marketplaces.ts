import { schemaOf } from '@niryat/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The marketplaces whose exports count in a programme. Existing programmes get their partner's
 * marketplace, except the seed programmes, which get what their agreements say (the ODOP MoU is
 * Walmart's and Flipkart's; Vriddhi compares a seller's exports wherever it sells).
 */
export class ProgrammeMarketplaces1765000000000 implements MigrationInterface {
  name = 'ProgrammeMarketplaces1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.programmes ADD COLUMN marketplaces text[]`);
    await queryRunner.query(`
      UPDATE ${s}.programmes SET marketplaces = CASE id
        WHEN 'flipkart-walmart-odop-up' THEN ARRAY['flipkart', 'walmart']
        WHEN 'walmart-vriddhi' THEN ARRAY['amazon', 'flipkart', 'walmart']
        ELSE ARRAY[partner] END`);
    await queryRunner.query(`ALTER TABLE ${s}.programmes ALTER COLUMN marketplaces SET NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE ${s}.programmes ADD CONSTRAINT programmes_marketplaces_present CHECK (cardinality(marketplaces) BETWEEN 1 AND 3)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaOf(queryRunner)}.programmes DROP COLUMN marketplaces`);
  }
}
