import { SellerApproved } from '@niryat/contracts';
import { eventually, readWholeTopic, testInfra } from '@niryat/testing';
import { OutboxRelay } from '../src';
import { namespace, writeApprovals } from './helpers';
import { TallyHarness } from './tally-harness';

/**
 * Two replicas of a service: two consumers in one group share the partitions and count every
 * event once, and two relays on one outbox publish every row once, in order per key.
 */
describe('two replicas at once (real Kafka and Postgres)', () => {
  const harness = new TallyHarness(namespace('replicas'));
  beforeAll(() => harness.setUp());
  afterAll(() => harness.tearDown());

  it('two relays on one outbox publish each row once, and two consumers in one group apply each event once', async () => {
    const sellers = await writeApprovals(harness, 120);
    const relays = [0, 1].map(() => new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema, batchSize: 7, pollIntervalMs: 10 }));
    for (const relay of relays) relay.start();
    const consumers = [0, 1].map(() => harness.consumer({ maxChunkSize: 5 }));
    await Promise.all(consumers.map((c) => c.start()));
    try {
      // More rows while both run: they race for the same outbox and the same partitions.
      sellers.push(...(await writeApprovals(harness, 80)));
      for (const relay of relays) relay.nudge();
      await eventually(async () => expect(await harness.tally()).toEqual({ sellers: 200, maxApplied: 1, totalApplied: 200 }), { timeoutMs: 90_000 });
    } finally {
      await Promise.all(consumers.map((c) => c.stop()));
      await Promise.all(relays.map((r) => r.stop()));
    }
    // Each row reached the topic exactly once (the relays took turns under the advisory lock).
    const records = await readWholeTopic(testInfra().kafkaBrokers.split(','), harness.kafka.topic(SellerApproved.topic));
    expect(records).toHaveLength(200);
    expect(new Set(records.map((r) => r.key))).toEqual(new Set(sellers));
    const [{ pending }] = await harness.dataSource.query(`SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL`);
    expect(pending).toBe(0);
  });
});
