import { randomUUID } from 'node:crypto';
import { deadLetterTopicFor } from '@niryat/contracts';
import { eventually, readWholeTopic, testInfra } from '@niryat/testing';
import { DeadLetterPublisher, DLQ } from '../src';
import { approvalHeaders, namespace, produceRaw } from './helpers';
import { approval, DECLINED, TallyHarness } from './tally-harness';

/**
 * A produce request that fails part-way (here another partition of it too large; in the fault
 * suite, a broker restarting under it) must not leave the shared producer out of step with the
 * broker. kafkajs' idempotent producer rolls back the sequence numbers of every partition of the
 * request, written or not: the broker would refuse the partition's next batches for good
 * (OUT_OF_ORDER_SEQUENCE_NUMBER), or acknowledge and drop one of the same size as a duplicate.
 */
describe('the shared producer after a request that failed part-way (real Kafka)', () => {
  const harness = new TallyHarness(namespace('after-failure'));
  const brokers = () => testInfra().kafkaBrokers.split(',');
  /** A topic that takes no record over 2 KB, to fail one partition of a request. */
  let tiny: string;

  /** Topics of one partition, once each has a leader. */
  const createTopics = async (topics: string[], configEntries: { name: string; value: string }[] = []) => {
    const admin = await harness.kafka.admin();
    await admin.createTopics({ waitForLeaders: false, topics: topics.map((topic) => ({ topic, numPartitions: 1, configEntries })) });
    for (const topic of topics) await eventually(() => admin.fetchTopicOffsets(topic));
  };

  beforeAll(async () => {
    await harness.setUp();
    tiny = harness.kafka.topic('tiny');
    await createTopics([tiny], [{ name: 'max.message.bytes', value: '2048' }]);
  });
  afterAll(() => harness.tearDown());

  /** One request with a record for each topic and one the broker refuses: it fails, the others are written. */
  const failPartWay = async (topics: string[]) => {
    const producer = await harness.kafka.producer();
    const sent = producer.sendBatch({
      acks: -1,
      topicMessages: [...topics.map((topic) => ({ topic, messages: [{ key: 'before', value: 'before' }] })), { topic: tiny, messages: [{ value: 'x'.repeat(10_000) }] }],
    });
    await expect(sent).rejects.toMatchObject({ type: 'MESSAGE_TOO_LARGE' });
  };

  it('takes the next batches of those partitions, of any size, and drops none', async () => {
    const [several, one] = ['several', 'one'].map((name) => harness.kafka.topic(`after-failure-${name}`));
    await createTopics([several, one]);
    await failPartWay([several, one]);

    await (await harness.kafka.producer()).send({ acks: -1, topic: several, messages: [{ value: 'a' }, { value: 'b' }] });
    await (await harness.kafka.producer()).send({ acks: -1, topic: one, messages: [{ value: 'c' }] });
    expect((await readWholeTopic(brokers(), several)).map((r) => r.value)).toEqual(['before', 'a', 'b']);
    expect((await readWholeTopic(brokers(), one)).map((r) => r.value)).toEqual(['before', 'c']);
  });

  it('writes a send that was waiting behind it', async () => {
    const topic = harness.kafka.topic('after-failure-waiting');
    await createTopics([topic]);
    const producer = await harness.kafka.producer();
    // A few moments for the second send to start: queued behind the failing request, or just after it.
    for (const [i, delayMs] of [0, 1, 3, 10].entries()) {
      const failing = failPartWay([topic]);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await producer.send({ acks: -1, topic, messages: [{ value: `waiting ${i}` }] });
      await failing;
    }
    const values = (await readWholeTopic(brokers(), topic)).map((r) => r.value);
    expect(values.filter((v) => v !== 'before')).toEqual(['waiting 0', 'waiting 1', 'waiting 2', 'waiting 3']);
  });

  it("publishes a consumer's dead letters on that partition afterwards, each with its own code, and does not stall", async () => {
    const publisher = new DeadLetterPublisher(harness.kafka, 'tally', harness.schema);
    await publisher.ensureTopic();
    await failPartWay([harness.kafka.topic(deadLetterTopicFor('tally'))]);
    const sellers = Array.from({ length: 40 }, () => randomUUID());
    sellers.forEach((seller, i) => i % 2 === 0 && harness.declined.add(seller));
    await produceRaw(
      harness,
      sellers.map((id) => ({ key: id, value: JSON.stringify(approval(id)), headers: approvalHeaders() })),
    );

    const consumer = harness.consumer({ maxChunkSize: 10, maxBackoffMs: 1_000 });
    await consumer.start();
    try {
      await eventually(async () => expect((await harness.tally()).sellers).toBe(sellers.length - harness.declined.size), { timeoutMs: 60_000 });
      const letters = await eventually(async () => {
        const all = (await readWholeTopic(brokers(), consumer.deadLetterTopic)).filter((l) => l.key !== 'before');
        expect(new Set(all.map((l) => l.key))).toEqual(harness.declined);
        return all;
      }, { timeoutMs: 60_000 });
      expect(new Set(letters.map((l) => l.headers[DLQ.code]))).toEqual(new Set([DECLINED]));
    } finally {
      await consumer.stop();
    }
  });
});
