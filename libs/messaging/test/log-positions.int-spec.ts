import { randomUUID } from 'node:crypto';
import { SellerApproved, TopicSpecs } from '@niryat/contracts';
import { eventually } from '@niryat/testing';
import { readPositions, resetPositions } from '../src';
import { approvalHeaders, namespace, produceRaw } from './helpers';
import { approval, TallyHarness } from './tally-harness';

/**
 * A database kept while its Kafka log was replaced (a recreated topic, a new cluster, `rm -rf
 * .local` with the database elsewhere): the stored offsets are ahead of the new log. The consumer
 * must apply nothing of such a partition and say so, never skip the new records as "applied".
 */
describe('stored positions that do not fit the log (real Kafka and Postgres)', () => {
  const harness = new TallyHarness(namespace('positions'));
  const topic = () => harness.kafka.topic(SellerApproved.topic);
  const produce = (n: number) =>
    produceRaw(
      harness,
      Array.from({ length: n }, () => {
        const id = randomUUID();
        return { key: id, value: JSON.stringify(approval(id)), headers: approvalHeaders() };
      }),
    );

  beforeAll(() => harness.setUp());
  afterAll(() => harness.tearDown());

  it('pauses a partition whose stored offset is beyond the recreated log, names it, applies nothing, and resumes once reset', async () => {
    await produce(60);
    const first = harness.consumer();
    await first.start();
    await eventually(async () => expect((await harness.tally()).sellers).toBe(60));
    await first.stop();
    const { stored } = await harness.offsets();

    // The topic is recreated: its new log starts at 0 again, and two records land on it.
    const admin = await harness.kafka.admin();
    await admin.deleteTopics({ topics: [topic()] });
    await eventually(async () => expect(await admin.listTopics()).not.toContain(topic()), { timeoutMs: 30_000 });
    await harness.kafka.ensureTopics(TopicSpecs.filter((spec) => spec.name === SellerApproved.topic));
    await eventually(async () => expect((await admin.fetchTopicOffsets(topic())).length).toBe(6), { timeoutMs: 30_000 });
    await produce(2);
    const ends = new Map((await admin.fetchTopicOffsets(topic())).map((p) => [p.partition, BigInt(p.high)]));
    const ahead = [...stored].filter(([partition, offset]) => offset > (ends.get(partition) ?? 0n)).map(([partition]) => partition);
    expect(ahead.length).toBeGreaterThan(0);

    const second = harness.consumer();
    await second.start();
    try {
      const problems = await eventually(async () => {
        const found = second.positionProblems();
        expect(found.map((p) => p.partition).sort()).toEqual([...ahead].sort());
        return found;
      });
      expect(problems[0]).toMatchObject({ group: 'tally', topic: topic(), kind: 'ahead-of-log', logStart: '0' });
      expect(problems[0].message).toContain('npm run consumers -- reset --group tally');
      // Nothing of the new log was counted as applied, nor applied: still the first 60.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await harness.tally()).sellers).toBe(60);
    } finally {
      await second.stop();
    }

    // What the operator sees (`npm run consumers -- positions`), and the reset to the start of the new log.
    const seen = await readPositions(harness.dataSource, admin, { schema: harness.schema, group: 'tally' });
    expect(seen.filter((r) => r.status === 'ahead-of-log').map((r) => r.partition).sort()).toEqual([...ahead].sort());
    const { after } = await resetPositions(harness.dataSource, admin, { schema: harness.schema, group: 'tally', to: 'earliest' });
    expect(after.every((r) => r.status === 'ok' && r.stored === r.logStart)).toBe(true);
    const third = harness.consumer();
    await third.start();
    try {
      await eventually(async () => expect((await harness.tally()).sellers).toBe(62));
      expect(third.positionProblems()).toEqual([]);
    } finally {
      await third.stop();
    }
  });

  it('pauses a partition whose offsets were stored against another Kafka cluster', async () => {
    await harness.dataSource.query(`UPDATE consumer_offsets SET cluster_id = 'another-cluster' WHERE consumer_group = 'tally'`);
    const consumer = harness.consumer();
    await consumer.start();
    try {
      await produce(6);
      const problems = await eventually(async () => {
        const found = consumer.positionProblems();
        expect(found.length).toBeGreaterThan(0);
        return found;
      });
      expect(problems.every((p) => p.kind === 'other-cluster' && p.storedClusterId === 'another-cluster')).toBe(true);
    } finally {
      await consumer.stop();
    }
  });
});
