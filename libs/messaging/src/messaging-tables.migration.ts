import { MigrationInterface, QueryRunner } from 'typeorm';

/** The schema this migration runs in: the service's own, from its data source options. */
export function schemaOf(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('messaging tables need a data source with a schema');
  return `"${schema}"`;
}

/**
 * The three tables behind the messaging guarantees, in every service schema:
 * - outbox: events written in the same transaction as the state change, published later by the relay;
 * - inbox: events a consumer group has applied, written in the same transaction as their effect;
 * - consumer_offsets: the next offset per partition applied, in that same transaction.
 */
export class MessagingTables1763700000000 implements MigrationInterface {
  name = 'MessagingTables1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`
      CREATE TABLE ${s}.outbox (
        seq          bigserial PRIMARY KEY,
        event_id     uuid        NOT NULL UNIQUE,
        topic        text        NOT NULL,
        record_key   text        NOT NULL,
        event_type   text        NOT NULL,
        attributes   jsonb       NOT NULL,
        payload      jsonb       NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz,
        attempts     integer     NOT NULL DEFAULT 0,
        last_error   text
      )`);
    await queryRunner.query(`CREATE INDEX outbox_unpublished_idx ON ${s}.outbox (seq) WHERE published_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE ${s}.inbox (
        consumer_group text        NOT NULL,
        event_source   text        NOT NULL,
        event_id       text        NOT NULL,
        topic          text        NOT NULL,
        "partition"    integer     NOT NULL,
        "offset"       bigint      NOT NULL,
        applied_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_source, event_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE ${s}.consumer_offsets (
        consumer_group text        NOT NULL,
        topic          text        NOT NULL,
        "partition"    integer     NOT NULL,
        next_offset    bigint      NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, topic, "partition")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP TABLE ${s}.consumer_offsets`);
    await queryRunner.query(`DROP TABLE ${s}.inbox`);
    await queryRunner.query(`DROP TABLE ${s}.outbox`);
  }
}

/**
 * Stored offsets remember which Kafka cluster's log they count: a database kept while the cluster
 * was replaced (or a topic recreated) must stop the consumer, not make it skip the new records as
 * applied. Rows from before are adopted by the next offset a consumer stores.
 */
export class ConsumerOffsetsCluster1765100000000 implements MigrationInterface {
  name = 'ConsumerOffsetsCluster1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaOf(queryRunner)}.consumer_offsets ADD COLUMN cluster_id text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaOf(queryRunner)}.consumer_offsets DROP COLUMN cluster_id`);
  }
}

/**
 * Dead letters that could not be published for good (too large, refused by the broker): kept here
 * with the reason, so the line moves on and nothing is lost without a word.
 */
export class DeadLettersSetAside1765100000001 implements MigrationInterface {
  name = 'DeadLettersSetAside1765100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${schemaOf(queryRunner)}.dead_letters_set_aside (
        id              bigserial   PRIMARY KEY,
        consumer_group  text        NOT NULL,
        topic           text        NOT NULL,
        "partition"     integer     NOT NULL,
        "offset"        bigint      NOT NULL,
        code            text        NOT NULL,
        reason          text        NOT NULL,
        publish_error   text        NOT NULL,
        record_key      text,
        value_bytes     integer     NOT NULL,
        value_sha256    text,
        headers         jsonb       NOT NULL,
        set_aside_at    timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaOf(queryRunner)}.dead_letters_set_aside`);
  }
}

/**
 * An outbox row the broker refuses for good (too large, invalid) is set aside instead of blocking
 * the outbox: it stays with its error, and only later rows of its own key wait behind it.
 */
export class OutboxSetAside1765100000002 implements MigrationInterface {
  name = 'OutboxSetAside1765100000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE ${s}.outbox ADD COLUMN set_aside_at timestamptz`);
    await queryRunner.query(`CREATE INDEX outbox_set_aside_idx ON ${s}.outbox (topic, record_key) WHERE set_aside_at IS NOT NULL AND published_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${schemaOf(queryRunner)}.outbox DROP COLUMN set_aside_at`);
  }
}

/**
 * Retention (see retention.ts) deletes inbox entries and published outbox rows by age: BRIN indexes
 * on the time they were written, which grows with the tables' insertion order, find the old ones
 * for a few pages of index and cost the hot inserts next to nothing.
 */
export class MessagingRetention1765200000000 implements MigrationInterface {
  name = 'MessagingRetention1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`CREATE INDEX inbox_applied_at_brin ON ${s}.inbox USING brin (applied_at)`);
    await queryRunner.query(`CREATE INDEX outbox_created_at_brin ON ${s}.outbox USING brin (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`DROP INDEX ${s}.outbox_created_at_brin`);
    await queryRunner.query(`DROP INDEX ${s}.inbox_applied_at_brin`);
  }
}

/** Every service's messaging migrations, in order: put them first in its list. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM takes migration classes as Function
export const MESSAGING_MIGRATIONS: Function[] = [MessagingTables1763700000000, ConsumerOffsetsCluster1765100000000, DeadLettersSetAside1765100000001, OutboxSetAside1765100000002, MessagingRetention1765200000000];
