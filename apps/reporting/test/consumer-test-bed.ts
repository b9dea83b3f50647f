import { MARKETPLACES, ProgrammeDefinedV1, TopicSpecs } from '@niryat/contracts';
import { BatchConsumer, BatchConsumerOptions, KafkaClient, OutboxRelay } from '@niryat/messaging';
import { migrate, serviceDataSourceOptions } from '@niryat/persistence';
import { DataSource } from 'typeorm';
import { eventually, ReadRecord, readWholeTopic, testInfra, uniqueSuffix } from '@niryat/testing';
import { ProgrammeCatalogue } from '../src/attribution/programme-catalogue';

/** A Kafka record as a test produces it; `ce_id` travels in the headers, so a redelivery keeps it. */
export interface ProducedRecord {
  /** Base topic name, without the bed's namespace. */
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/**
 * A consumer under test on the run's real Kafka and Postgres: its own migrated schema and topic
 * namespace, records produced to it, the consumer run until it has durably applied them, and the
 * outbox published and read back.
 */
export class ConsumerTestBed {
  readonly dataSource: DataSource;
  readonly kafka: KafkaClient;
  readonly schema: string;

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM takes migration classes as Function
  constructor(label: string, migrations: Function[]) {
    const { kafkaBrokers, databaseUrl } = testInfra();
    const namespace = `t-${label}-${uniqueSuffix()}`;
    this.schema = `reporting_${namespace.replace(/[^a-z0-9]/g, '_')}`;
    this.dataSource = new DataSource(serviceDataSourceOptions({ url: databaseUrl, schema: this.schema, migrations }));
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

  /** Produces the records, keeping their order within each topic. */
  async produce(records: readonly ProducedRecord[]): Promise<void> {
    const producer = await this.kafka.producer();
    const topics = [...new Set(records.map((r) => r.topic))];
    await producer.sendBatch({
      topicMessages: topics.map((topic) => ({
        topic: this.kafka.topic(topic),
        messages: records.filter((r) => r.topic === topic).map(({ key, value, headers }) => ({ key, value, headers })),
      })),
    });
  }

  /** Records a group has durably applied (stored offsets start at 0 on fresh topics). */
  async appliedRecords(groupId: string): Promise<number> {
    const [{ n }] = await this.dataSource.query(`SELECT coalesce(sum(next_offset), 0)::int AS n FROM consumer_offsets WHERE consumer_group = $1`, [
      groupId,
    ]);
    return n;
  }

  /** Produces the records, runs the consumer until it has applied all of them, and stops it. */
  consume(options: BatchConsumerOptions, records: readonly ProducedRecord[]): Promise<void> {
    return this.consumeAll([options], records);
  }

  /**
   * Produces the records, runs the consumers until each has applied all records of its topics
   * (these and whatever it had applied before), and stops them.
   */
  async consumeAll(options: readonly BatchConsumerOptions[], records: readonly ProducedRecord[]): Promise<void> {
    const before = new Map<string, number>();
    for (const o of options) before.set(o.groupId, await this.appliedRecords(o.groupId));
    await this.produce(records);
    const stop = await this.startConsumers(options);
    try {
      await eventually(
        async () => {
          for (const o of options) {
            const expected = (before.get(o.groupId) ?? 0) + records.filter((r) => o.topics.includes(r.topic)).length;
            expect({ group: o.groupId, applied: await this.appliedRecords(o.groupId) }).toEqual({ group: o.groupId, applied: expected });
          }
        },
        { timeoutMs: 60_000 },
      );
    } finally {
      await stop();
    }
  }

  /** Starts the consumers (they resume from their committed offsets); the result stops them. */
  async startConsumers(options: readonly BatchConsumerOptions[]): Promise<() => Promise<void>> {
    const consumers = options.map((o) => new BatchConsumer(this.dataSource, this.kafka, o));
    await Promise.all(consumers.map((c) => c.start()));
    return async () => {
      await Promise.all(consumers.map((c) => c.stop()));
    };
  }

  /** Publishes the whole outbox and reads the topic back from the start. */
  async publishOutbox(topic: string): Promise<ReadRecord[]> {
    const relay = new OutboxRelay(this.dataSource, this.kafka, { schema: this.schema });
    while ((await relay.publishPending()) > 0);
    return readWholeTopic(testInfra().kafkaBrokers.split(','), this.kafka.topic(topic));
  }
}

/** The last value per key, parsed: what a compacted topic keeps. */
export function latestPerKey(records: readonly ReadRecord[]): Map<string, Record<string, unknown>> {
  return new Map(records.map((r) => [r.key ?? '', JSON.parse(r.value ?? '{}') as Record<string, unknown>]));
}

/**
 * Shuffles records across topic × key with a fixed seed, keeping each key's own order: every
 * delivery order Kafka allows is one of these.
 */
export function interleave<R extends { topic: string; key: string }>(records: readonly R[], seed: number): R[] {
  const queues = new Map<string, R[]>();
  for (const r of records) queues.set(`${r.topic}|${r.key}`, [...(queues.get(`${r.topic}|${r.key}`) ?? []), r]);
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const out: R[] = [];
  while (queues.size > 0) {
    const keys = [...queues.keys()];
    const key = keys[Math.floor(random() * keys.length)];
    const [next, ...rest] = queues.get(key) ?? [];
    out.push(next);
    if (rest.length === 0) queues.delete(key);
    else queues.set(key, rest);
  }
  return out;
}

/**
 * Puts programmes in a catalogue's table as their ProgrammeDefined would (version 1), each taking
 * every marketplace's exports: for tests of one view about its own rules, not attribution's.
 */
export async function givenEveryMarketplace(dataSource: DataSource, catalogue: ProgrammeCatalogue, programmeIds: readonly string[]): Promise<void> {
  const marketplaces = [...MARKETPLACES];
  await dataSource.transaction((manager) =>
    catalogue.apply(
      manager,
      programmeIds.map((programmeId) =>
        Object.assign(new ProgrammeDefinedV1(), {
          programmeId,
          name: programmeId,
          partner: marketplaces[0],
          marketplaces,
          kind: 'export' as const,
          allIndia: true,
          states: [],
          version: 1,
          changedAt: '2026-01-01T00:00:00.000Z',
          changedBy: 'test',
        }),
      ),
    ),
  );
}
