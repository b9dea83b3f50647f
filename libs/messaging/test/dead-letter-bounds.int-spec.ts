import { randomUUID } from 'node:crypto';
import { deadLetterTopicFor, SellerApproved } from '@niryat/contracts';
import { eventually, readWholeTopic, testInfra } from '@niryat/testing';
import { KafkaMessage } from 'kafkajs';
import { DeadLetterPublisher, DLQ } from '../src';
import { approvalHeaders, namespace, produceRaw } from './helpers';
import { approval, TallyHarness } from './tally-harness';

/**
 * A record whose dead-letter copy would be too large must not stall its partition: dead letters are
 * bounded, and one the broker still refuses for good is set aside in the database, the line moving on.
 */
describe('bounded dead letters (real Kafka and Postgres)', () => {
  const harness = new TallyHarness(namespace('dlq-bounds'));
  beforeAll(() => harness.setUp());
  afterAll(() => harness.tearDown());

  it('dead-letters an ~800 KB record with an oversized CloudEvents header, bounded, and applies what follows on the partition', async () => {
    const key = randomUUID();
    const after = randomUUID();
    // The same key: both on one partition, the good one behind the poison one.
    // Its dead-letter copy as it was (the value, the header, and a reason that echoes the header) passed the broker's 1 MB.
    await produceRaw(harness, [{ key, value: 'x'.repeat(800 * 1024), headers: { ...approvalHeaders(), ce_type: `niryat.${'y'.repeat(150 * 1024)}` } }]);
    await produceRaw(harness, [{ key, value: JSON.stringify(approval(after)), headers: approvalHeaders() }]);
    const consumer = harness.consumer();
    await consumer.start();
    try {
      await eventually(async () => expect((await harness.tally()).sellers).toBe(1), { timeoutMs: 60_000 });
      const [dead] = await eventually(async () => {
        const records = await readWholeTopic(testInfra().kafkaBrokers.split(','), consumer.deadLetterTopic);
        expect(records).toHaveLength(1);
        return records;
      });
      expect(dead.value).toBeNull();
      expect(dead.headers[DLQ.valueBytes]).toBe(String(800 * 1024));
      expect(dead.headers[DLQ.valueSha256]).toMatch(/^[0-9a-f]{64}$/);
      expect(dead.headers[DLQ.headersTruncated]).toBe('ce_type');
      expect((dead.headers[DLQ.reason] ?? '').length).toBeLessThanOrEqual(2_100);
    } finally {
      await consumer.stop();
    }
  });

  it('sets a dead letter the broker refuses for good aside in the database, with the reason, and goes on', async () => {
    // A dead-letter topic that takes nothing larger than 2 KB (as if configured too small).
    const group = 'tally-small-dlq';
    const admin = await harness.kafka.admin();
    await admin.createTopics({ topics: [{ topic: harness.kafka.topic(deadLetterTopicFor(group)), numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '2048' }] }] });
    const key = randomUUID();
    const after = randomUUID();
    await produceRaw(harness, [
      { key, value: `not json ${'z'.repeat(20 * 1024)}`, headers: approvalHeaders() },
      { key, value: JSON.stringify(approval(after)), headers: approvalHeaders() },
    ]);
    const consumer = harness.consumer({ groupId: group });
    await consumer.start();
    try {
      await eventually(async () => {
        const [{ applied }] = await harness.dataSource.query(`SELECT count(*)::int AS applied FROM tally WHERE seller_id = $1`, [after]);
        expect(applied).toBe(1);
      }, { timeoutMs: 60_000 });
      const rows: { code: string; publish_error: string; value_bytes: number }[] = await harness.dataSource.query(
        `SELECT code, publish_error, value_bytes FROM dead_letters_set_aside WHERE consumer_group = $1`,
        [group],
      );
      // This group reads the topic from its start: the first test's record is set aside too.
      expect(rows).toEqual(
        expect.arrayContaining([expect.objectContaining({ code: 'MESSAGING.NOT_JSON', value_bytes: 9 + 20 * 1024, publish_error: expect.stringMatching(/larger than the max message size/) })]),
      );
    } finally {
      await consumer.stop();
    }
  });

  it('publishes many large dead letters at once in several requests: none set aside, all on the topic', async () => {
    // Twenty 200 KB dead letters at once (a chunk of several partitions, a parked-events expiry):
    // in one request (4 MB) the broker refused them all for the topic's 1 MiB per batch.
    const group = 'tally-many-large';
    const publisher = new DeadLetterPublisher(harness.kafka, group, harness.schema);
    await publisher.ensureTopic();
    const keys: string[] = Array.from({ length: 20 }, () => randomUUID());
    const rejections = keys.map((key, i) => ({
      topic: harness.kafka.topic(SellerApproved.topic),
      partition: 0,
      offset: String(i),
      message: { key: Buffer.from(key), value: Buffer.from(`not json ${'w'.repeat(200 * 1024)}`), headers: approvalHeaders(), offset: String(i), timestamp: '0', attributes: 0 } as KafkaMessage,
      code: 'MESSAGING.NOT_JSON',
      reason: 'the value is not JSON',
    }));
    expect(await harness.dataSource.transaction((manager) => publisher.publish(rejections, manager))).toBe(0);
    const dead = (await readWholeTopic(testInfra().kafkaBrokers.split(','), harness.kafka.topic(publisher.topic))).filter((r) => keys.includes(r.key ?? ''));
    expect(dead.map((r) => r.key)).toEqual(keys); // in order
    expect(dead.every((r) => r.headers[DLQ.code] === 'MESSAGING.NOT_JSON' && (r.value ?? '').length === 9 + 200 * 1024)).toBe(true);
    const [{ aside }] = await harness.dataSource.query(`SELECT count(*)::int AS aside FROM dead_letters_set_aside WHERE consumer_group = $1`, [group]);
    expect(aside).toBe(0);
  });
});
