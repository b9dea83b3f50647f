import { randomUUID } from 'node:crypto';
import { eventually, readWholeTopic, testInfra } from '@niryat/testing';
import { DeadLetterCode, DLQ, OutboxRelay } from '../src';
import { approvalHeaders, namespace, produceRaw, writeApprovals } from './helpers';
import { approval, TallyHarness } from './tally-harness';

const total = (offsets: Map<number, bigint>) => [...offsets.values()].reduce((a, b) => a + b, 0n);

describe('batch consumer with partitionsInOneTransaction (real Kafka and Postgres)', () => {
  let harness: TallyHarness;

  beforeAll(async () => {
    harness = await new TallyHarness(namespace('together')).setUp();
  });
  afterAll(() => harness.tearDown());

  const consumer = () => harness.consumer({ partitionsConcurrently: 6, partitionsInOneTransaction: true });

  it("applies the chunks of partitions fetched together in one transaction, every event once, and stores each partition's offset", async () => {
    await writeApprovals(harness, 60);
    await new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema }).publishPending();
    const tally = consumer();
    await tally.start();
    try {
      const { committed, stored } = await eventually(async () => {
        const offsets = await harness.offsets();
        expect(total(offsets.committed)).toBe(60n);
        return offsets;
      });
      expect(stored).toEqual(committed);
      // 60 random keys over six partitions, all on the topic before the consumer starts.
      expect(committed.size).toBeGreaterThan(1);
      expect(await harness.tally()).toEqual({ sellers: 60, maxApplied: 1, totalApplied: 60 });
      expect(await harness.inboxCount()).toBe(60);
      expect(harness.handlerCalls.some((partitions) => partitions.length > 1)).toBe(true);
    } finally {
      await tally.stop();
    }
  });

  it('when a shared transaction fails for good, applies its chunks one at a time and dead-letters only the guilty event', async () => {
    const before = await harness.tally();
    const calls = harness.handlerCalls.length;
    const sellers = Array.from({ length: 30 }, () => randomUUID());
    const guilty = sellers[17];
    harness.refused.add(guilty);
    // Each seller its own key: the records spread over the partitions.
    await produceRaw(
      harness,
      sellers.map((id) => ({ key: id, value: JSON.stringify(approval(id)), headers: approvalHeaders() })),
    );
    const tally = consumer();
    await tally.start();
    try {
      await eventually(async () => expect((await harness.tally()).sellers).toBe(before.sellers + 29));
      const dead = await eventually(async () => {
        const records = await readWholeTopic(testInfra().kafkaBrokers.split(','), tally.deadLetterTopic);
        expect(records).toHaveLength(1);
        return records[0];
      });
      expect(dead.headers[DLQ.code]).toBe(DeadLetterCode.handlerFailed);
      expect(JSON.parse(dead.value ?? '')).toMatchObject({ sellerId: guilty });
      const after = await harness.tally();
      expect(after.maxApplied).toBe(1);
      expect(after.totalApplied).toBe(before.totalApplied + 29);
      const { committed, stored } = await eventually(async () => {
        const offsets = await harness.offsets();
        expect(total(offsets.committed)).toBe(90n);
        return offsets;
      });
      expect(stored).toEqual(committed);
      // The failed shared call held several partitions; the guilty event was then tried alone.
      const mine = harness.handlerCalls.slice(calls);
      expect(mine[0].length).toBeGreaterThan(1);
      expect(mine.filter((partitions) => partitions.length > 1).length).toBeGreaterThanOrEqual(1);
    } finally {
      await tally.stop();
    }
  });
});
