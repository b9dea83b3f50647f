import { SellerApproved } from '@niryat/contracts';
import { eventually, readWholeTopic, testInfra } from '@niryat/testing';
import { namespace, writeApprovals } from './helpers';
import { TallyHarness } from './tally-harness';

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
});
