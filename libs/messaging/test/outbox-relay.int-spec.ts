import { randomUUID } from 'node:crypto';
import { SellerApproved } from '@niryat/contracts';
import { eventually, readWholeTopic, testInfra } from '@niryat/testing';
import { namespace, writeApprovals } from './helpers';
import { approval, TallyHarness } from './tally-harness';

describe('outbox relay (real Kafka and Postgres)', () => {
  let harness: TallyHarness;

  beforeAll(async () => {
    harness = await new TallyHarness(namespace('relay')).setUp();
  });
  afterAll(() => harness.tearDown());

  it('publishes pending rows in commit order as CloudEvents binary-mode records keyed by aggregate id', async () => {
    const { OutboxRelay } = await import('../src');
    const sellers = await writeApprovals(harness, 5);
    const relay = new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema });

    expect(await relay.publishPending()).toBe(5);
    expect(await relay.publishPending()).toBe(0);

    const records = await readWholeTopic(testInfra().kafkaBrokers.split(','), harness.kafka.topic(SellerApproved.topic));
    expect(records.map((r) => r.key).sort()).toEqual([...sellers].sort());
    for (const record of records) {
      expect(record.headers).toMatchObject({
        ce_specversion: '1.0',
        ce_type: SellerApproved.type,
        ce_source: '/niryat/test',
        'content-type': 'application/json',
      });
      expect(JSON.parse(record.value ?? '')).toMatchObject({ sellerId: record.key });
    }
    const [{ pending }] = await harness.dataSource.query(`SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL`);
    expect(pending).toBe(0);
  });

  it('counts an outbox row once even when the relay publishes it twice', async () => {
    const { OutboxRelay } = await import('../src');
    const before = await harness.tally();
    const sellers = await writeApprovals(harness, 3);
    const relay = new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema });
    expect(await relay.publishPending()).toBe(3);
    // The crash window of the relay: Kafka has the record but the row was never marked published.
    await harness.dataSource.query(`UPDATE outbox SET published_at = NULL WHERE record_key = $1`, [sellers[0]]);
    expect(await relay.publishPending()).toBe(1);

    const records = await readWholeTopic(testInfra().kafkaBrokers.split(','), harness.kafka.topic(SellerApproved.topic));
    expect(records.filter((r) => r.key === sellers[0])).toHaveLength(2);

    const consumer = harness.consumer();
    await consumer.start();
    try {
      await eventually(async () => expect((await harness.tally()).sellers).toBe(before.sellers + 3 + 5));
      const after = await harness.tally();
      expect(after.maxApplied).toBe(1);
      expect(after.totalApplied).toBe(after.sellers);
    } finally {
      await consumer.stop();
    }
  });

  it('writes what is appended inside a batch once the batch succeeds, in order, and nothing of a batch that fails', async () => {
    const { outboxEvent } = await import('../src');
    const writer = harness.outboxWriter();
    const rowsOf = async (keys: string[]): Promise<string[]> =>
      (await harness.dataSource.query(`SELECT record_key FROM outbox WHERE record_key = ANY($1) ORDER BY seq`, [keys])).map((r: { record_key: string }) => r.record_key);

    const kept = Array.from({ length: 4 }, () => randomUUID());
    await harness.dataSource.transaction(async (manager) => {
      await writer.batch(manager, async () => {
        await writer.append(manager, [outboxEvent(SellerApproved, approval(kept[0])), outboxEvent(SellerApproved, approval(kept[1]))]);
        // Held back until the batch ends: not in the table yet, even for this transaction.
        expect(await manager.query(`SELECT count(*)::int AS n FROM outbox WHERE record_key = ANY($1)`, [kept])).toEqual([{ n: 0 }]);
        await writer.append(manager, [outboxEvent(SellerApproved, approval(kept[2]))]);
        await writer.batch(manager, () => writer.append(manager, [outboxEvent(SellerApproved, approval(kept[3]))]));
      });
    });
    expect(await rowsOf(kept)).toEqual(kept);

    const dropped = [randomUUID(), randomUUID()];
    await expect(
      harness.dataSource.transaction((manager) =>
        writer.batch(manager, async () => {
          await writer.append(manager, [outboxEvent(SellerApproved, approval(dropped[0]))]);
          throw new Error('the view failed');
        }),
      ),
    ).rejects.toThrow('the view failed');
    // Outside a batch, an append writes at once again.
    await harness.dataSource.transaction((manager) => writer.append(manager, [outboxEvent(SellerApproved, approval(dropped[1]))]));
    expect(await rowsOf(dropped)).toEqual([dropped[1]]);
  });
  it('does not lose a nudge that comes while a pass is running: the rows committed meanwhile go out at once, not a poll interval later', async () => {
    const { OutboxRelay, outboxEvent } = await import('../src');
    const publishedAt = async (key: string) =>
      (await harness.dataSource.query(`SELECT published_at FROM outbox WHERE record_key = $1`, [key]))[0]?.published_at as Date | null | undefined;
    // Ten minutes between polls: only a nudge can make it look again within the test.
    const relay = new OutboxRelay(harness.dataSource, harness.kafka, { schema: harness.schema, pollIntervalMs: 600_000 });
    relay.start();
    const locker = harness.dataSource.createQueryRunner();
    await locker.connect();
    try {
      await eventually(async () => expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)).toEqual([{ n: 0 }]));
      const [first] = await writeApprovals(harness, 1);
      // Writers wait for this lock: the relay's pass reads the first row, sends it, then waits to mark it published.
      await locker.startTransaction();
      await locker.query(`LOCK TABLE outbox IN SHARE MODE`);
      relay.nudge();
      await eventually(async () =>
        expect(await harness.dataSource.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE %outbox SET published_at%'`)).toEqual([{ n: 1 }]),
      );
      // While that pass runs, a second row commits and its writer nudges the relay.
      const second = randomUUID();
      await harness.outboxWriter().append(locker.manager, [outboxEvent(SellerApproved, approval(second))]);
      relay.nudge();
      await locker.commitTransaction();
      await eventually(async () => expect(await publishedAt(first)).toBeInstanceOf(Date));
      await eventually(async () => expect(await publishedAt(second)).toBeInstanceOf(Date), { timeoutMs: 10_000 });
    } finally {
      if (locker.isTransactionActive) await locker.rollbackTransaction();
      await locker.release();
      await relay.stop();
    }
  });
});
