import { randomUUID } from 'node:crypto';
import { eventually, readWholeTopic, testInfra } from '@niryat/testing';
import { DeadLetterCode, DLQ, OutboxRelay } from '../src';
import { approvalHeaders, namespace, produceRaw, writeApprovals } from './helpers';
import { approval, TallyHarness } from './tally-harness';

const total = (offsets: Map<number, bigint>) => [...offsets.values()].reduce((a, b) => a + b, 0n);

const MODES = [
  ['applying before the next fetch', false],
  ['fetching while applying', true],
] as const;

describe.each(MODES)('batch consumer with partitionsInOneTransaction, %s (real Kafka and Postgres)', (_mode, fetchWhileApplying) => {
  let harness: TallyHarness;

  beforeAll(async () => {
    harness = await new TallyHarness(namespace('together')).setUp();
  });
  afterAll(() => harness.tearDown());

  const consumer = () => harness.consumer({ partitionsConcurrently: 6, partitionsInOneTransaction: true, fetchWhileApplying });

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

describe('batch consumer with fetchWhileApplying (real Kafka and Postgres)', () => {
  let harness: TallyHarness;

  beforeAll(async () => {
    harness = await new TallyHarness(namespace('pipelined')).setUp();
  });
  afterAll(() => harness.tearDown());

  it('fetches and decodes the next records while a transaction is still applying, and commits their offsets after it', async () => {
    let enter: () => void = () => undefined;
    let release: () => void = () => undefined;
    const entered = new Promise<void>((resolve) => (enter = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const key = randomUUID(); // one key: one partition, in order
    const seller = randomUUID();
    await produceRaw(harness, [{ key, value: JSON.stringify(approval(seller)), headers: approvalHeaders() }]);
    const tally = harness.consumer({
      partitionsConcurrently: 6,
      partitionsInOneTransaction: true,
      fetchWhileApplying: true,
      handler: async (events, manager) => {
        enter();
        await released;
        await manager.query(`INSERT INTO tally (seller_id, applied) SELECT unnest($1::uuid[]), 1`, [events.map((e) => (e.payload as { sellerId: string }).sellerId)]);
      },
    });
    await tally.start();
    try {
      await entered;
      await produceRaw(harness, [{ key, value: 'this is {not json', headers: approvalHeaders() }]);
      // Behind the transaction that is still applying, the next record is fetched and decoded.
      await eventually(async () => expect(await readWholeTopic(testInfra().kafkaBrokers.split(','), tally.deadLetterTopic)).toHaveLength(1));
      expect(await harness.tally()).toMatchObject({ sellers: 0 });
      expect(total((await harness.offsets()).committed)).toBe(0n);

      release();
      const { committed, stored } = await eventually(async () => {
        const offsets = await harness.offsets();
        expect(total(offsets.committed)).toBe(2n);
        return offsets;
      });
      expect(stored).toEqual(committed);
      expect(await harness.tally()).toMatchObject({ sellers: 1, maxApplied: 1 });
    } finally {
      release();
      await tally.stop();
    }
  });
});
