import { SellerApproved, SellerApprovedV1, TopicSpecs } from '@niryat/contracts';
import { migrate, serviceDataSourceOptions } from '@niryat/persistence';
import { testInfra } from '@niryat/testing';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { BatchConsumer, BatchConsumerOptions, BatchHandler, HandlerOutcome, InboundEvent, KafkaClient, MESSAGING_MIGRATIONS, OutboxWriter, schemaOf } from '../src';

export type { InboundEvent };

/** Error a handler raises for an event it can never apply; the consumer must dead-letter just that one. */
export class RefusedEvent extends Error {}

/** The code the test handler declines an event with, as a service refuses one with its own reason. */
export const DECLINED = 'TEST.SELLER_DECLINED';

class TallyTable1763700009999 implements MigrationInterface {
  name = 'TallyTable1763700009999';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE ${schemaOf(queryRunner)}.tally (seller_id uuid PRIMARY KEY, applied integer NOT NULL)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaOf(queryRunner)}.tally`);
  }
}

/**
 * A real schema and a real topic namespace for one messaging test: outbox/inbox tables plus a
 * `tally` table that counts how many times each seller's approval was applied (must end at 1).
 */
export class TallyHarness {
  readonly dataSource: DataSource;
  readonly kafka: KafkaClient;
  readonly schema: string;
  /** Sellers whose approval the handler fails on (throws), to exercise per-event dead-lettering. */
  readonly refused = new Set<string>();
  /** Sellers whose approval the handler declines with a code of its own (DECLINED), the rest of the chunk applied. */
  readonly declined = new Set<string>();
  /** The partitions of the events each handler call got, in call order (failed calls included). */
  readonly handlerCalls: number[][] = [];

  constructor(
    readonly namespace: string,
    /** Another PostgreSQL than the test run's (a test's own, to restart). */
    databaseUrl = testInfra().databaseUrl,
    /** Another Kafka than the test run's (a test's own broker, to restart). */
    kafkaBrokers = testInfra().kafkaBrokers,
  ) {
    this.schema = `msg_${namespace.replace(/[^a-z0-9]/g, '_')}`;
    this.dataSource = new DataSource(
      serviceDataSourceOptions({ url: databaseUrl, schema: this.schema, migrations: [...MESSAGING_MIGRATIONS, TallyTable1763700009999] }),
    );
    this.kafka = new KafkaClient({ brokers: kafkaBrokers.split(','), clientId: `test-${namespace}`, topicNamespace: namespace });
  }

  async setUp(): Promise<this> {
    await this.dataSource.initialize();
    await migrate(this.dataSource);
    await this.kafka.ensureTopics(TopicSpecs);
    return this;
  }

  async tearDown(): Promise<void> {
    await this.kafka.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  outboxWriter(): OutboxWriter {
    return new OutboxWriter(this.schema, '/niryat/test');
  }

  consumer(overrides: Partial<BatchConsumerOptions> = {}): BatchConsumer {
    return new BatchConsumer(this.dataSource, this.kafka, {
      groupId: 'tally',
      topics: [SellerApproved.topic],
      handles: [SellerApproved],
      schema: this.schema,
      handler: this.handler,
      ...overrides,
    });
  }

  /** The consumers' handler: counts each approval, fails on the refused ones and declines the declined ones. */
  readonly handler: BatchHandler = (events, manager) => {
    this.handlerCalls.push([...new Set(events.map((e) => e.partition))].sort((a, b) => a - b));
    return this.applyTally(events as InboundEvent<SellerApprovedV1>[], manager.query.bind(manager));
  };

  private async applyTally(events: InboundEvent<SellerApprovedV1>[], query: (sql: string, params: unknown[]) => Promise<unknown>): Promise<HandlerOutcome> {
    const refused = events.find((e) => this.refused.has(e.payload.sellerId));
    if (refused) throw new RefusedEvent(`seller ${refused.payload.sellerId} is refused by the test handler`);
    const declined = events.filter((e) => this.declined.has(e.payload.sellerId));
    const applied = events.filter((e) => !this.declined.has(e.payload.sellerId));
    if (applied.length > 0) {
      await query(
        `INSERT INTO tally (seller_id, applied) SELECT unnest($1::uuid[]), 1
         ON CONFLICT (seller_id) DO UPDATE SET applied = tally.applied + 1`,
        [applied.map((e) => e.payload.sellerId)],
      );
    }
    return { rejected: declined.map((event) => ({ event, code: DECLINED, reason: `seller ${event.payload.sellerId} is declined by the test handler` })) };
  }

  /** Number of distinct sellers applied, and the highest number of times any one was applied. */
  async tally(): Promise<{ sellers: number; maxApplied: number; totalApplied: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS sellers, coalesce(max(applied), 0)::int AS "maxApplied", coalesce(sum(applied), 0)::int AS "totalApplied" FROM tally`,
    );
    return row;
  }

  async inboxCount(): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM inbox`);
    return n;
  }

  /** Offsets the group committed to Kafka and the ones stored with the effects, per partition. */
  async offsets(groupId = 'tally'): Promise<{ committed: Map<number, bigint>; stored: Map<number, bigint> }> {
    const admin = await this.kafka.admin();
    const [topicOffsets] = await admin.fetchOffsets({ groupId: this.kafka.groupId(groupId), topics: [this.kafka.topic(SellerApproved.topic)] });
    const committed = new Map(topicOffsets.partitions.filter((p) => p.offset !== '-1').map((p) => [p.partition, BigInt(p.offset)]));
    const rows: { partition: number; next_offset: string }[] = await this.dataSource.query(
      `SELECT "partition", next_offset FROM consumer_offsets WHERE consumer_group = $1`,
      [groupId],
    );
    return { committed, stored: new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)])) };
  }
}

export function approval(sellerId: string, stateCode = '09'): SellerApprovedV1 {
  return Object.assign(new SellerApprovedV1(), {
    sellerId,
    stateCode,
    district: 'Panipat',
    classification: 'small',
    programmes: ['walmart-vriddhi'],
    approvedAt: new Date().toISOString(),
    approvedBy: 'test-reviewer',
  });
}
