'use strict';
// Smoke check that the kafkajs features the services rely on work against the
// running broker. Kafka 4 dropped old protocol versions (KIP-896) and kafkajs
// 2.x was written for Kafka 2.x, so each API is exercised and reported
// separately: a failure names the exact call that broke.
//
//   node tools/infra/verify-kafka.js [brokers]      (default 127.0.0.1:9092)
//   node tools/infra/cli.js verify [--profile test --dir <dir>]

const { Kafka, logLevel } = require('kafkajs');

const PARTITIONS = 3;
const FIRST_BATCH = 30;
const SECOND_BATCH = 9;

async function verifyKafka({ brokers = '127.0.0.1:9092', log = () => {}, timeoutMs = 30000 } = {}) {
  const suffix = `${Date.now().toString(36)}-${process.pid}`;
  const topic = `infra-verify-${suffix}`;
  const groupId = `infra-verify-${suffix}`;
  const kafka = new Kafka({ clientId: 'niryat-infra-verify', brokers: [brokers], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const checks = [];
  const consumers = [];

  async function step(name, fn) {
    const started = Date.now();
    try {
      const detail = await fn();
      checks.push({ name, ok: true, ms: Date.now() - started, detail });
      log(`ok   ${name} (${Date.now() - started} ms)${detail ? ` - ${detail}` : ''}`);
    } catch (err) {
      checks.push({ name, ok: false, ms: Date.now() - started, error: err.message });
      log(`FAIL ${name}: ${err.message}`);
      throw err;
    }
  }

  // Consumes until `expected` messages arrived; autoCommit is off so nothing
  // is committed except what the caller commits explicitly.
  async function consume(expected) {
    // Short fetch waits: disconnect() waits for the in-flight fetch (default 5 s).
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000, maxWaitTimeInMs: 500 });
    consumers.push(consumer);
    const received = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let resolveDone;
    const done = new Promise((resolve) => (resolveDone = resolve));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        received.push({ partition, offset: Number(message.offset), key: String(message.key), headers: message.headers });
        if (received.length >= expected) resolveDone();
      },
    });
    let timer;
    const timeout = new Promise((_, reject) => {
      const fail = () => reject(new Error(`got ${received.length}/${expected} messages within ${timeoutMs} ms`));
      timer = setTimeout(fail, timeoutMs);
    });
    await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
    return { consumer, received };
  }

  const send = (from, count) =>
    producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: count }, (_, i) => ({
        key: `key-${from + i}`,
        value: JSON.stringify({ n: from + i }),
        headers: { 'x-seq': String(from + i), 'x-source': 'infra-verify' },
      })),
    });

  const committed = {};
  try {
    await step('admin.connect + describeCluster (ApiVersions, Metadata)', async () => {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return `${cluster.brokers.length} broker(s), controller ${cluster.controller}`;
    });
    await step(`admin.createTopics (${PARTITIONS} partitions, CreateTopics)`, async () => {
      const created = await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
      if (!created) throw new Error('topic already existed');
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const count = meta.topics[0].partitions.length;
      if (count !== PARTITIONS) throw new Error(`expected ${PARTITIONS} partitions, got ${count}`);
      return topic;
    });
    await step('idempotent producer send with headers (InitProducerId, Produce)', async () => {
      await producer.connect();
      await send(0, FIRST_BATCH);
      return `${FIRST_BATCH} messages`;
    });
    await step('admin.fetchTopicOffsets (ListOffsets)', async () => {
      const offsets = await admin.fetchTopicOffsets(topic);
      const total = offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
      if (total !== FIRST_BATCH) throw new Error(`expected ${FIRST_BATCH} messages on the topic, found ${total}`);
      return offsets.map((o) => `p${o.partition}:${o.high}`).join(' ');
    });

    let first;
    await step('consumer group join + fetch, autoCommit off (FindCoordinator, JoinGroup, SyncGroup, Fetch)', async () => {
      first = await consume(FIRST_BATCH);
      const bad = first.received.find(
        (m) => String(m.headers['x-seq']) !== m.key.slice(4) || String(m.headers['x-source']) !== 'infra-verify',
      );
      if (bad) throw new Error(`headers did not round-trip on ${JSON.stringify(bad)}`);
      const partitions = new Set(first.received.map((m) => m.partition));
      return `${first.received.length} messages over ${partitions.size} partitions, headers intact`;
    });
    await step('consumer.commitOffsets, about half of each partition (OffsetCommit)', async () => {
      // Commit the offset after the first half of what each partition delivered.
      const byPartition = {};
      for (const m of first.received) (byPartition[m.partition] ||= []).push(m.offset);
      for (const [partition, offsets] of Object.entries(byPartition)) {
        offsets.sort((a, b) => a - b);
        committed[partition] = offsets[Math.floor(offsets.length / 2)];
      }
      await first.consumer.commitOffsets(
        Object.entries(committed).map(([partition, offset]) => ({ topic, partition: Number(partition), offset: String(offset) })),
      );
      await first.consumer.disconnect();
      return Object.entries(committed).map(([p, o]) => `p${p}@${o}`).join(' ');
    });
    await step('admin.fetchOffsets (OffsetFetch)', async () => {
      const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
      for (const { partition, offset } of result.partitions) {
        const want = committed[partition] === undefined ? '-1' : String(committed[partition]);
        if (offset !== want) throw new Error(`partition ${partition}: fetched offset ${offset}, committed ${want}`);
      }
      return result.partitions.map((p) => `p${p.partition}@${p.offset}`).join(' ');
    });
    await step('restarted consumer resumes after the committed offsets', async () => {
      await send(FIRST_BATCH, SECOND_BATCH);
      const skipped = Object.values(committed).reduce((sum, o) => sum + o, 0);
      const expected = FIRST_BATCH + SECOND_BATCH - skipped;
      const second = await consume(expected);
      for (const m of second.received) {
        const from = committed[m.partition] || 0;
        if (m.offset < from) throw new Error(`partition ${m.partition} re-delivered offset ${m.offset} < committed ${from}`);
      }
      const firstSeen = {};
      for (const m of second.received) if (firstSeen[m.partition] === undefined) firstSeen[m.partition] = m.offset;
      for (const [partition, offset] of Object.entries(committed)) {
        if (firstSeen[partition] !== offset) {
          throw new Error(`partition ${partition} resumed at ${firstSeen[partition]}, expected ${offset}`);
        }
      }
      // Give the broker a moment to deliver anything unexpected beyond `expected`.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (second.received.length !== expected) throw new Error(`expected ${expected} messages, got ${second.received.length}`);
      await second.consumer.disconnect();
      return `${second.received.length} messages, first offsets ${JSON.stringify(firstSeen)}`;
    });
    await step('admin.describeGroups + deleteGroups + deleteTopics', async () => {
      const { groups } = await admin.describeGroups([groupId]);
      await admin.deleteGroups([groupId]);
      await admin.deleteTopics({ topics: [topic] });
      return `group state was ${groups[0].state}`;
    });
  } catch {
    // Already recorded by step(); fall through to cleanup and the report.
  } finally {
    await Promise.allSettled(consumers.map((c) => c.disconnect()));
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
  // A failed step stops the run, so "every recorded step passed" means all of them ran.
  return { ok: checks.length > 0 && checks.every((c) => c.ok), brokers, topic, checks };
}

module.exports = { verifyKafka };

if (require.main === module) {
  const brokers = process.argv[2] || '127.0.0.1:9092';
  verifyKafka({ brokers, log: (line) => console.log(line) }).then((result) => {
    console.log(result.ok ? `kafkajs verification passed against ${brokers}` : `kafkajs verification FAILED against ${brokers}`);
    process.exitCode = result.ok ? 0 : 1;
  });
}
