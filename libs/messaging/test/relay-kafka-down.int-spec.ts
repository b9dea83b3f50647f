import { randomUUID } from 'node:crypto';
import { SellerApproved, TopicSpecs } from '@niryat/contracts';
import { migrate, serviceDataSourceOptions } from '@niryat/persistence';
import { eventually, OwnKafkaBroker, readWholeTopic, testInfra } from '@niryat/testing';
import { DataSource } from 'typeorm';
import { KafkaClient, MESSAGING_MIGRATIONS, OutboxRelay, OutboxWriter, outboxEvent } from '../src';
import { namespace } from './helpers';
import { approval } from './tally-harness';

describe('outbox relay while Kafka is down (its own broker, stopped and restarted)', () => {
  const broker = new OwnKafkaBroker();
  const schema = `relaydown_${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  let kafka: KafkaClient;

  beforeAll(async () => {
    const brokers = await broker.start();
    dataSource = new DataSource(serviceDataSourceOptions({ url: testInfra().databaseUrl, schema, migrations: MESSAGING_MIGRATIONS }));
    await dataSource.initialize();
    await migrate(dataSource);
    kafka = new KafkaClient({ brokers: [brokers], clientId: 'relay-down-test', topicNamespace: namespace('down') });
    await kafka.ensureTopics(TopicSpecs);
  }, 180_000);

  afterAll(async () => {
    await kafka?.close();
    await dataSource?.destroy();
    await broker.destroy();
  });

  it('keeps the row pending while Kafka is unreachable and publishes it exactly once when Kafka is back', async () => {
    const relay = new OutboxRelay(dataSource, kafka, { schema, pollIntervalMs: 50, maxBackoffMs: 500 });
    await kafka.producer(); // connected before the outage, as a long-running service would be
    await broker.stop();

    const sellerId = randomUUID();
    await dataSource.transaction((manager) => new OutboxWriter(schema, '/niryat/test').append(manager, [outboxEvent(SellerApproved, approval(sellerId))]));
    relay.start();
    try {
      const pending = await eventually(async () => {
        const [row] = await dataSource.query(`SELECT published_at, attempts, last_error FROM outbox WHERE record_key = $1`, [sellerId]);
        expect(row.attempts).toBeGreaterThanOrEqual(2); // tried, failed, and is still trying
        return row;
      }, { timeoutMs: 90_000 });
      expect(pending.published_at).toBeNull();
      expect(pending.last_error).toEqual(expect.any(String));

      await broker.start();
      await eventually(async () => {
        const [row] = await dataSource.query(`SELECT published_at FROM outbox WHERE record_key = $1`, [sellerId]);
        expect(row.published_at).not.toBeNull();
      }, { timeoutMs: 90_000 });
    } finally {
      await relay.stop();
    }

    const records = await readWholeTopic([broker.brokers], kafka.topic(SellerApproved.topic));
    expect(records.filter((r) => r.key === sellerId)).toHaveLength(1);
  }, 240_000);
});
